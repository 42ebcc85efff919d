#!/usr/bin/env python3
"""Generates the terminology resources (CodeSystem, ValueSet, ConceptMap, NamingSystem) of the
CAR-T LTFU implementation guide as FHIR R4 JSON into ../src/main/fhir.

The JSON files are the build input (the Maven build does not run Python). Edit this script and
re-run it (`python3 terminology/tools/generate_terminology.py`) instead of editing the JSON by hand.
Only codes that the domain brief marks as sourced are used for external code systems; anything
that needs verification is marked [V] in the text.
"""
import json
import os

BASE = "https://cart-ltfu.org/fhir"
# The package version is written once, in the manifest (CarTIg.PACKAGE_VERSION is checked against it).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "profiles", "src", "main", "package", "package.json"), encoding="utf-8") as manifest:
    VERSION = json.load(manifest)["version"]
DATE = "2026-11-21"
PUBLISHER = "CAR-T LTFU hub project"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "fhir")

LEE_2019 = ("Lee DW, Santomasso BD, Locke FL, et al. ASTCT consensus grading for cytokine release syndrome and "
            "neurologic toxicity associated with immune effector cells. Biol Blood Marrow Transplant. "
            "2019;25(4):625-638")

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
LOINC = "http://loinc.org"


def cs_url(cid):
    return f"{BASE}/CodeSystem/{cid}"


def vs_url(vid):
    return f"{BASE}/ValueSet/{vid}"


def pascal(cid):
    return "".join(p[:1].upper() + p[1:] for p in cid.replace("_", "-").split("-"))


def concept(code, display, definition, zh, vi, ms, props=None):
    c = {
        "code": code,
        "display": display,
        "definition": definition,
        "designation": [
            {"language": "en", "value": display},
            {"language": "zh", "value": zh},
            {"language": "vi", "value": vi},
            {"language": "ms", "value": ms},
        ],
    }
    if props:
        c["property"] = props
    return c


def prop_str(code, value):
    return {"code": code, "valueString": value}


def prop_int(code, value):
    return {"code": code, "valueInteger": value}


RESOURCES = []


def codesystem(cid, title, description, concepts, properties=None, extra_vs=True):
    cs = {
        "resourceType": "CodeSystem",
        "id": cid,
        "url": cs_url(cid),
        "version": VERSION,
        "name": pascal(cid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
        "caseSensitive": True,
        "valueSet": vs_url(cid),
        "content": "complete",
        "count": len(concepts),
    }
    if properties:
        cs["property"] = properties
    cs["concept"] = concepts
    RESOURCES.append(cs)
    if extra_vs:
        valueset_all(cid, title, f"All codes of the CodeSystem {title} ({cs_url(cid)}).", [cs_url(cid)])
    return cs


def valueset_all(vid, title, description, systems):
    RESOURCES.append({
        "resourceType": "ValueSet",
        "id": vid,
        "url": vs_url(vid),
        "version": VERSION,
        "name": pascal(vid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
        "compose": {"include": [{"system": s} for s in systems]},
    })


def valueset_enum(vid, title, description, system, codes, copyright_=None):
    vs = {
        "resourceType": "ValueSet",
        "id": vid,
        "url": vs_url(vid),
        "version": VERSION,
        "name": pascal(vid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
    }
    if copyright_:
        vs["copyright"] = copyright_
    vs["compose"] = {"include": [{"system": system,
                                  "concept": [{"code": c, "display": d} for c, d in codes]}]}
    RESOURCES.append(vs)


# ---------------------------------------------------------------------------------------------
# ASTCT grades
# ---------------------------------------------------------------------------------------------
codesystem(
    "astct-crs-grade", "ASTCT CRS grade",
    "Grades of cytokine release syndrome (CRS) according to the ASTCT consensus (" + LEE_2019 + "). "
    "The grade is set by the most severe of the hypotension and hypoxia axes in a patient with fever; it is "
    "driven by the intervention required, not by measured values. Once antipyretic or anticytokine therapy "
    "(e.g. tocilizumab, corticosteroids) has been given, fever is no longer required. Organ toxicities are graded "
    "with CTCAE v5 and do not change the CRS grade. The numbers 0-5 have ASTCT meaning and are NOT the generic "
    "CTCAE/NCIt adverse-event grades (see the ConceptMaps).",
    [
        concept("0", "No CRS",
                "ASTCT criteria for CRS not met: no fever of 38.0 °C or more that is not explained by another cause, and "
                "no CRS-related hypotension or hypoxia after antipyretic or anticytokine therapy.",
                "无CRS（0级）", "Không có CRS (độ 0)", "Tiada CRS (gred 0)"),
        concept("1", "CRS grade 1",
                "Fever of 38.0 °C or more not attributable to another cause, with neither hypotension nor hypoxia.",
                "CRS 1级", "CRS độ 1", "CRS gred 1"),
        concept("2", "CRS grade 2",
                "Fever with hypotension that does not need a vasopressor and/or hypoxia that needs only a low-flow nasal "
                "cannula (6 L/min or less) or blow-by oxygen.",
                "CRS 2级", "CRS độ 2", "CRS gred 2"),
        concept("3", "CRS grade 3",
                "Fever with hypotension that needs one vasopressor (with or without vasopressin) and/or hypoxia that needs "
                "a high-flow nasal cannula (more than 6 L/min), a facemask, a non-rebreather mask or a Venturi mask.",
                "CRS 3级", "CRS độ 3", "CRS gred 3"),
        concept("4", "CRS grade 4",
                "Fever with hypotension that needs several vasopressors (vasopressin not counted) and/or hypoxia that needs "
                "positive pressure (CPAP, BiPAP, or intubation with mechanical ventilation).",
                "CRS 4级", "CRS độ 4", "CRS gred 4"),
        concept("5", "CRS grade 5 (death)",
                "Death caused by CRS.",
                "CRS 5级（因CRS死亡）", "CRS độ 5 (tử vong do CRS)", "CRS gred 5 (kematian akibat CRS)"),
    ])

codesystem(
    "astct-icans-grade", "ASTCT ICANS grade",
    "Grades of immune effector cell-associated neurotoxicity syndrome (ICANS) according to the ASTCT consensus ("
    + LEE_2019 + "). The grade is the most severe of five domains (ICE or CAPD score, depressed level of "
    "consciousness, seizure, motor findings, raised intracranial pressure / cerebral oedema), counting only findings "
    "not attributable to another cause. Tremor and myoclonus (graded by CTCAE) and intracranial haemorrhage are "
    "excluded. Patients over 12 years are screened with the ICE score; children aged 12 or under (or with "
    "developmental delay) with CAPD. The numbers 0-5 have ASTCT meaning and are NOT the generic CTCAE/NCIt grades.",
    [
        concept("0", "No ICANS",
                "ASTCT criteria for ICANS not met (for example ICE score 10 with no other domain affected).",
                "无ICANS（0级）", "Không có ICANS (độ 0)", "Tiada ICANS (gred 0)"),
        concept("1", "ICANS grade 1",
                "ICE score 7-9, or depressed consciousness with spontaneous awakening; in children 12 or under a CAPD score "
                "below 9 with spontaneous awakening.",
                "ICANS 1级", "ICANS độ 1", "ICANS gred 1"),
        concept("2", "ICANS grade 2",
                "ICE score 3-6, or depressed consciousness with awakening to voice; in children 12 or under a CAPD score "
                "below 9 with awakening to voice.",
                "ICANS 2级", "ICANS độ 2", "ICANS gred 2"),
        concept("3", "ICANS grade 3",
                "ICE score 0-2 in a patient who can be roused (including an awake patient with global aphasia), or "
                "awakening only to touch, or a clinical seizure that resolves rapidly or a non-convulsive EEG seizure that "
                "resolves with intervention, or focal oedema on neuroimaging; in children 12 or under a CAPD score of 9 or more.",
                "ICANS 3级", "ICANS độ 3", "ICANS gred 3"),
        concept("4", "ICANS grade 4",
                "Patient unarousable and unable to perform ICE (or CAPD), or needing vigorous or repeated stimuli, stupor or "
                "coma; or a prolonged (more than 5 minutes) life-threatening seizure or repeated seizures without return to "
                "baseline; or deep focal motor weakness (hemiparesis, paraparesis); or diffuse cerebral oedema, "
                "decerebrate or decorticate posturing, cranial nerve VI palsy, papilloedema or Cushing's triad.",
                "ICANS 4级", "ICANS độ 4", "ICANS gred 4"),
        concept("5", "ICANS grade 5 (death)",
                "Death caused by ICANS with no other principal cause.",
                "ICANS 5级（因ICANS死亡）", "ICANS độ 5 (tử vong do ICANS)", "ICANS gred 5 (kematian akibat ICANS)"),
    ])

valueset_all("astct-grade", "ASTCT CRS or ICANS grade",
             "All ASTCT CRS and ICANS grades (union of the two grade CodeSystems); bound to the astct-grade extension. "
             "Profiles narrow it to the CRS or the ICANS grades.",
             [cs_url("astct-crs-grade"), cs_url("astct-icans-grade")])

# ---------------------------------------------------------------------------------------------
# CRS inputs
# ---------------------------------------------------------------------------------------------
codesystem(
    "crs-pressor-support", "CRS hypotension support",
    "Treatment needed for CRS-related hypotension, the hypotension axis of the ASTCT CRS grade (" + LEE_2019 + "). "
    "Axis values: none = grade 1, fluids = 2, one-pressor = 3, multiple-pressors = 4. Vasopressin alone is not "
    "covered by the consensus and should be referred to a clinician.",
    [
        concept("none", "No hypotension",
                "No hypotension attributable to CRS.",
                "无低血压", "Không hạ huyết áp", "Tiada hipotensi"),
        concept("fluids", "Hypotension not requiring vasopressors",
                "Hypotension attributable to CRS that does not need a vasopressor (for example managed with intravenous fluids).",
                "低血压，无需升压药（仅补液）", "Hạ huyết áp không cần thuốc vận mạch (chỉ bù dịch)",
                "Hipotensi tanpa keperluan vasopresor (cecair sahaja)"),
        concept("one-pressor", "One vasopressor (with or without vasopressin)",
                "Hypotension attributable to CRS that needs one vasopressor, with or without vasopressin.",
                "需要一种升压药（联用或不联用血管加压素）", "Cần một thuốc vận mạch (có hoặc không kèm vasopressin)",
                "Memerlukan satu vasopresor (dengan atau tanpa vasopresin)"),
        concept("multiple-pressors", "Multiple vasopressors (excluding vasopressin)",
                "Hypotension attributable to CRS that needs two or more vasopressors, vasopressin not counted.",
                "需要多种升压药（不包括血管加压素）", "Cần nhiều thuốc vận mạch (không tính vasopressin)",
                "Memerlukan beberapa vasopresor (tidak termasuk vasopresin)"),
    ])

codesystem(
    "crs-o2-support", "CRS oxygen support",
    "Oxygen delivery needed for CRS-related hypoxia, the hypoxia axis of the ASTCT CRS grade (" + LEE_2019 + "). "
    "Axis values: none = grade 1, low-flow = 2, high-flow-or-mask = 3, positive-pressure = 4. The grade follows the "
    "device/flow required, not a measured saturation. Unlisted devices should be referred to a clinician.",
    [
        concept("none", "No oxygen required",
                "No hypoxia attributable to CRS; no supplemental oxygen needed.",
                "无需吸氧", "Không cần thở oxy", "Tiada keperluan oksigen"),
        concept("low-flow", "Low-flow nasal cannula (≤6 L/min) or blow-by",
                "Hypoxia attributable to CRS that needs a low-flow nasal cannula at 6 L/min or less, or blow-by oxygen.",
                "低流量鼻导管（≤6 L/min）或吹氧", "Oxy qua ống thông mũi lưu lượng thấp (≤6 L/phút) hoặc thổi oxy",
                "Kanula hidung aliran rendah (≤6 L/min) atau oksigen tiupan"),
        concept("high-flow-or-mask", "High-flow nasal cannula (>6 L/min) or mask",
                "Hypoxia attributable to CRS that needs a high-flow nasal cannula above 6 L/min, a facemask, a non-rebreather "
                "mask or a Venturi mask.",
                "高流量鼻导管（>6 L/min）、面罩、非重复呼吸面罩或文丘里面罩",
                "Ống thông mũi lưu lượng cao (>6 L/phút), mặt nạ, mặt nạ không thở lại hoặc mặt nạ Venturi",
                "Kanula hidung aliran tinggi (>6 L/min), topeng muka, topeng tanpa pernafasan semula atau topeng Venturi"),
        concept("positive-pressure", "Positive pressure (CPAP, BiPAP, mechanical ventilation)",
                "Hypoxia attributable to CRS that needs positive pressure: CPAP, BiPAP, or intubation with mechanical ventilation.",
                "正压通气（CPAP、BiPAP、气管插管机械通气）",
                "Thông khí áp lực dương (CPAP, BiPAP, đặt nội khí quản thở máy)",
                "Sokongan tekanan positif (CPAP, BiPAP, intubasi dan ventilasi mekanikal)"),
    ])

# ---------------------------------------------------------------------------------------------
# ICE / CAPD / ICANS domains
# ---------------------------------------------------------------------------------------------
codesystem(
    "ice-item", "ICE score items",
    "Items of the immune effector cell-associated encephalopathy (ICE) screening tool (" + LEE_2019 + "); the total "
    "(0-10, 10 = no impairment) is the sum of the items. Orientation refers to the place where the test is done (at a "
    "spoke: the spoke's city and hospital). Prompts must be localised. Property maxScore gives the highest points.",
    [
        concept("orientation", "Orientation (year, month, city, hospital)",
                "Orientation to year, month, city and hospital; one point each (0-4).",
                "定向力（年、月、城市、医院）", "Định hướng (năm, tháng, thành phố, bệnh viện)",
                "Orientasi (tahun, bulan, bandar, hospital)", [prop_int("maxScore", 4)]),
        concept("naming", "Naming three objects",
                "Naming three objects shown to the patient (for example a watch, a pen, a button); one point each (0-3).",
                "命名3个物体", "Gọi tên 3 đồ vật", "Menamakan 3 objek", [prop_int("maxScore", 3)]),
        concept("command", "Following simple commands",
                "Following a simple command (for example 'show me two fingers' or 'close your eyes and stick out your tongue'); 0-1.",
                "执行简单指令", "Làm theo mệnh lệnh đơn giản", "Mengikut arahan mudah", [prop_int("maxScore", 1)]),
        concept("writing", "Writing a standard sentence",
                "Ability to write a standard sentence; 0-1.",
                "书写一个标准句子", "Viết một câu chuẩn", "Menulis satu ayat standard", [prop_int("maxScore", 1)]),
        concept("attention", "Attention (counting backwards from 100 by 10)",
                "Attention, tested by counting backwards from 100 in steps of 10; 0-1.",
                "注意力（从100开始每次减10倒数）", "Chú ý (đếm ngược từ 100, mỗi lần trừ 10)",
                "Perhatian (mengira menurun dari 100 dengan selang 10)", [prop_int("maxScore", 1)]),
        concept("ice-total", "ICE score total",
                "Total ICE score, the sum of the five items (0-10; 10 = no impairment).",
                "ICE总分", "Tổng điểm ICE", "Jumlah skor ICE", [prop_int("maxScore", 10)]),
    ],
    properties=[{"code": "maxScore", "description": "Highest number of points for the item", "type": "integer"}])

codesystem(
    "capd-score", "CAPD score",
    "Cornell Assessment of Pediatric Delirium (CAPD) as used for ICANS grading in children aged 12 or under or with "
    "developmental delay (" + LEE_2019 + "). Only the total is coded here.",
    [
        concept("capd-total", "CAPD total score",
                "Total CAPD score, the sum of eight observation items each scored 0-4 (range 0-32; higher = more delirium). "
                "A score of 9 or more corresponds to ICANS grade 3 when not explained otherwise.",
                "康奈尔儿童谵妄评估（CAPD）总分", "Tổng điểm CAPD (thang đánh giá mê sảng nhi khoa Cornell)",
                "Jumlah skor CAPD (Penilaian Delirium Pediatrik Cornell)"),
    ])

codesystem(
    "icans-consciousness", "ICANS level of consciousness",
    "Depressed level of consciousness domain of the ASTCT ICANS grade (" + LEE_2019 + "); only depression not "
    "attributable to another cause (e.g. sedation) counts. awakens-spontaneously = grade 1, awakens-to-voice = 2, "
    "awakens-to-touch = 3, unarousable = 4.",
    [
        concept("awake", "Awake",
                "Patient is awake and alert; no depressed consciousness.",
                "清醒", "Tỉnh táo", "Sedar dan berjaga"),
        concept("awakens-spontaneously", "Awakens spontaneously",
                "Depressed level of consciousness; the patient awakens without stimulation.",
                "可自行觉醒", "Tự thức tỉnh", "Terjaga secara spontan"),
        concept("awakens-to-voice", "Awakens to voice",
                "Depressed level of consciousness; the patient awakens when spoken to.",
                "对声音刺激可唤醒", "Thức tỉnh khi được gọi", "Terjaga apabila dipanggil"),
        concept("awakens-to-touch", "Awakens only to tactile stimulus",
                "Depressed level of consciousness; the patient awakens only to touch.",
                "仅对触觉刺激可唤醒", "Chỉ thức tỉnh khi kích thích xúc giác", "Terjaga hanya dengan rangsangan sentuhan"),
        concept("unarousable", "Unarousable, stupor or coma",
                "Patient cannot be roused, or needs vigorous or repeated tactile stimuli to awaken; stupor or coma.",
                "不可唤醒（昏睡或昏迷）", "Không thể đánh thức (lơ mơ sâu hoặc hôn mê)",
                "Tidak dapat dibangunkan (stupor atau koma)"),
    ])

codesystem(
    "icans-seizure", "ICANS seizure",
    "Seizure domain of the ASTCT ICANS grade (" + LEE_2019 + "): resolved-rapidly = grade 3, prolonged-or-repetitive = 4.",
    [
        concept("none", "No seizure",
                "No seizure attributable to ICANS.",
                "无癫痫发作", "Không co giật", "Tiada sawan"),
        concept("resolved-rapidly", "Seizure that resolved rapidly",
                "Any clinical seizure, focal or generalised, that resolves rapidly, or a non-convulsive seizure on EEG that "
                "resolves with intervention.",
                "快速缓解的癫痫发作，或经干预缓解的脑电图非惊厥性发作",
                "Co giật hết nhanh, hoặc co giật không co cứng trên điện não đồ hết khi can thiệp",
                "Sawan yang pulih dengan cepat, atau sawan bukan konvulsif pada EEG yang pulih dengan rawatan"),
        concept("prolonged-or-repetitive", "Prolonged or repetitive seizures",
                "Life-threatening prolonged seizure (more than 5 minutes), or repeated clinical or electrical seizures "
                "without return to baseline in between.",
                "持续>5分钟危及生命的癫痫发作，或反复发作且发作间期未恢复至基线",
                "Co giật kéo dài (>5 phút) đe dọa tính mạng, hoặc co giật lặp lại không hồi phục về trạng thái ban đầu",
                "Sawan berpanjangan (>5 minit) yang mengancam nyawa, atau sawan berulang tanpa kembali ke keadaan asal"),
    ])

codesystem(
    "icans-motor", "ICANS motor findings",
    "Motor domain of the ASTCT ICANS grade (" + LEE_2019 + "): deep focal weakness = grade 4. Tremor and myoclonus are "
    "excluded from ICANS (graded by CTCAE).",
    [
        concept("none", "No deep focal motor weakness",
                "No deep focal motor weakness attributable to ICANS (tremor and myoclonus are not counted).",
                "无深部局灶性运动无力", "Không yếu vận động khu trú sâu", "Tiada kelemahan motor fokal dalam"),
        concept("deep-focal-weakness", "Deep focal motor weakness (hemiparesis, paraparesis)",
                "Deep focal motor weakness such as hemiparesis or paraparesis.",
                "深部局灶性运动无力（偏瘫、截瘫）", "Yếu vận động khu trú sâu (liệt nửa người, liệt hai chi dưới)",
                "Kelemahan motor fokal dalam (hemiparesis, paraparesis)"),
    ])

codesystem(
    "icans-icp", "ICANS raised intracranial pressure / cerebral oedema",
    "Raised intracranial pressure / cerebral oedema domain of the ASTCT ICANS grade (" + LEE_2019 + "): focal-edema = "
    "grade 3, diffuse-edema = 4. Intracranial haemorrhage is excluded from ICANS.",
    [
        concept("none", "No raised ICP or cerebral oedema",
                "No signs of raised intracranial pressure or cerebral oedema attributable to ICANS.",
                "无颅内压增高或脑水肿", "Không tăng áp lực nội sọ hoặc phù não",
                "Tiada peningkatan tekanan intrakranial atau edema serebrum"),
        concept("focal-edema", "Focal cerebral oedema on neuroimaging",
                "Focal or local cerebral oedema on neuroimaging.",
                "影像学局灶性脑水肿", "Phù não khu trú trên chẩn đoán hình ảnh", "Edema serebrum fokal pada pengimejan"),
        concept("diffuse-edema", "Diffuse cerebral oedema or signs of raised ICP",
                "Diffuse cerebral oedema on neuroimaging, decerebrate or decorticate posturing, cranial nerve VI palsy, "
                "papilloedema or Cushing's triad.",
                "弥漫性脑水肿、去大脑/去皮质强直、展神经（第VI对脑神经）麻痹、视乳头水肿或库欣三联征",
                "Phù não lan tỏa, tư thế mất não/mất vỏ, liệt dây thần kinh sọ VI, phù gai thị hoặc tam chứng Cushing",
                "Edema serebrum meresap, postur deserebrat/dekortikat, palsi saraf kranial VI, papiledema atau triad Cushing"),
    ])

# ---------------------------------------------------------------------------------------------
# Follow-up time points
# ---------------------------------------------------------------------------------------------
tp = []
for d in (7, 14, 28):
    tp.append(concept(f"D{d}", f"Day {d} after infusion",
                      f"Assessment {d} days after the CAR-T infusion (day 0 = infusion date; the first day if the dose is split).",
                      f"回输后第{d}天", f"Ngày {d} sau truyền", f"Hari {d} selepas infusi",
                      [prop_str("targetOffset", f"P{d}D")]))
tp.append(concept("D100", "Day 100 after infusion",
                  "Day-100 follow-up (CIBMTR form 4100 / EBMT Day-100 form). CIBMTR contact window: day 85-115.",
                  "回输后第100天", "Ngày 100 sau truyền", "Hari 100 selepas infusi",
                  [prop_str("targetOffset", "P100D"), prop_int("windowBeforeDays", 15), prop_int("windowAfterDays", 15)]))
tp.append(concept("M6", "Month 6 after infusion",
                  "Six-month follow-up (CIBMTR / EBMT 6-month form). CIBMTR contact window: 6 months plus or minus 30 days.",
                  "回输后第6个月", "Tháng 6 sau truyền", "Bulan 6 selepas infusi",
                  [prop_str("targetOffset", "P6M"), prop_int("windowBeforeDays", 30), prop_int("windowAfterDays", 30)]))
for y in range(1, 16):
    props = [prop_str("targetOffset", f"P{y}Y")]
    extra = ""
    if y == 1:
        props += [prop_int("windowBeforeDays", 0), prop_int("windowAfterDays", 60)]
        extra = " CIBMTR contact window: day 365-425."
    tp.append(concept(f"Y{y}", f"Year {y} after infusion",
                      f"Annual follow-up {y} year{'s' if y > 1 else ''} after the CAR-T infusion.{extra}",
                      f"回输后第{y}年", f"Năm {y} sau truyền", f"Tahun {y} selepas infusi", props))
codesystem(
    "ltfu-timepoint", "LTFU time point",
    "Nominal follow-up time points after CAR-T infusion (day 0 = infusion date). D7-D28 cover the acute toxicity "
    "period; D100, M6 and the annual points follow the CIBMTR cellular-therapy forms (15-year track for genetically "
    "modified products: D100 to Y15; standard track: D100 to Y6, then Y8, Y10, Y12, Y14) and the EBMT MED-A "
    "Day-100, 6-month and annual forms. FDA (2020) and EMA expect 15 years of follow-up for integrating vectors. "
    "Properties: targetOffset (ISO 8601 duration from day 0) and, where CIBMTR publishes one, the contact window in "
    "days before/after the target (windows for Y2-Y15 are not captured [V]).",
    tp,
    properties=[
        {"code": "targetOffset", "description": "Nominal offset from the infusion date (ISO 8601 duration)", "type": "string"},
        {"code": "windowBeforeDays", "description": "Days before the target that still count for this time point", "type": "integer"},
        {"code": "windowAfterDays", "description": "Days after the target that still count for this time point", "type": "integer"},
    ])

# ---------------------------------------------------------------------------------------------
# Toxicity therapy
# ---------------------------------------------------------------------------------------------
codesystem(
    "crs-therapy", "CRS / ICANS therapy",
    "Therapies given for CRS or ICANS, as asked on the CIBMTR 4100 form (check all that apply) and relevant to the "
    "ASTCT rule that fever is no longer required once antipyretic or anticytokine therapy has been given (" + LEE_2019
    + "). A SNOMED CT or ATC coding (e.g. tocilizumab SNOMED 444648007, ATC L04AC07) may be added next to these codes "
    "only where the validating terminology service knows those systems: with HAPI's in-memory terminology, an "
    "unknown-system coding inside this required-bound CodeableConcept is reported as an error.",
    [
        concept("tocilizumab", "Tocilizumab",
                "Tocilizumab, a monoclonal antibody against the interleukin-6 receptor, given for CRS or ICANS.",
                "托珠单抗", "Tocilizumab", "Tocilizumab"),
        concept("corticosteroid", "Corticosteroid",
                "A systemic corticosteroid (for example dexamethasone or methylprednisolone) given for CRS or ICANS.",
                "糖皮质激素", "Corticosteroid", "Kortikosteroid"),
        concept("siltuximab", "Siltuximab",
                "Siltuximab, a monoclonal antibody against interleukin-6, given for CRS or ICANS.",
                "司妥昔单抗", "Siltuximab", "Siltuximab"),
        concept("anakinra", "Anakinra",
                "Anakinra, an interleukin-1 receptor antagonist, given for CRS or ICANS.",
                "阿那白滞素", "Anakinra", "Anakinra"),
        concept("other", "Other CRS/ICANS therapy",
                "Another anticytokine, immunosuppressive or supportive therapy given specifically for CRS or ICANS; "
                "describe it in the text of the CodeableConcept.",
                "其他CRS/ICANS治疗", "Điều trị CRS/ICANS khác", "Terapi CRS/ICANS lain"),
    ])

# ---------------------------------------------------------------------------------------------
# CAR-T products
# ---------------------------------------------------------------------------------------------
def product(code, display, inn, manufacturer, target, approval, zh, vi_desc, ms_desc, definition_extra=""):
    definition = (f"{display}: autologous CAR-T cell product {inn} ({target}-directed), marketing authorisation holder / "
                  f"manufacturer {manufacturer}; {approval}.{definition_extra}")
    named = display if inn.lower() in display.lower() else f"{display} ({inn})"
    return concept(code, display, definition, zh, f"{named}, {vi_desc}", f"{named}, {ms_desc}",
                   [prop_str("inn", inn), prop_str("manufacturer", manufacturer), prop_str("targetAntigen", target),
                    prop_str("approval", approval)])


VI19 = "sản phẩm tế bào CAR-T nhắm đích CD19"
MS19 = "produk sel CAR-T sasaran CD19"
VIB = "sản phẩm tế bào CAR-T nhắm đích BCMA"
MSB = "produk sel CAR-T sasaran BCMA"
codesystem(
    "cart-product", "CAR-T product",
    "Approved autologous CAR-T cell products (commercial products). Codes are the lower-case brand name for products "
    "with an international brand; products approved only in China or India use the abbreviated INN (with the "
    "manufacturer where the INN is shared). Properties: inn, manufacturer (marketing authorisation holder or "
    "manufacturer), targetAntigen, approval (first approval found). Afamitresgene autoleucel (Tecelra) is a TCR, not "
    "a CAR-T, product and is not listed. Chinese generic names in the zh designations should be checked against the "
    "NMPA labels [V]. Use 'other' for investigational or unlisted products.",
    [
        product("kymriah", "Kymriah", "tisagenlecleucel", "Novartis", "CD19", "FDA 2017",
                "Kymriah（tisagenlecleucel）CD19 CAR-T细胞产品", VI19, MS19),
        product("yescarta", "Yescarta", "axicabtagene ciloleucel", "Kite Pharma (Gilead)", "CD19", "FDA 2017",
                "Yescarta（axicabtagene ciloleucel，阿基仑赛）CD19 CAR-T细胞产品", VI19, MS19),
        product("axi-cel-fosun-kite", "Axicabtagene ciloleucel (Fosun Kite)", "axicabtagene ciloleucel",
                "Fosun Kite Biotechnology", "CD19", "NMPA China June 2021",
                "阿基仑赛注射液（奕凯达，复星凯特）CD19 CAR-T细胞产品", VI19 + " (Fosun Kite, Trung Quốc)",
                MS19 + " (Fosun Kite, China)",
                " Locally manufactured in China; chain of identity and lots differ from Kite's US/EU product."),
        product("tecartus", "Tecartus", "brexucabtagene autoleucel", "Kite Pharma (Gilead)", "CD19", "FDA 2020",
                "Tecartus（brexucabtagene autoleucel）CD19 CAR-T细胞产品", VI19, MS19),
        product("breyanzi", "Breyanzi", "lisocabtagene maraleucel", "Juno Therapeutics (Bristol Myers Squibb)", "CD19",
                "FDA 2021", "Breyanzi（lisocabtagene maraleucel）CD19 CAR-T细胞产品", VI19, MS19),
        product("abecma", "Abecma", "idecabtagene vicleucel", "Celgene (Bristol Myers Squibb) / 2seventy bio", "BCMA",
                "FDA 2021", "Abecma（idecabtagene vicleucel）BCMA CAR-T细胞产品", VIB, MSB),
        product("carvykti", "Carvykti", "ciltacabtagene autoleucel", "Janssen Biotech / Legend Biotech", "BCMA",
                "FDA 2022", "Carvykti（ciltacabtagene autoleucel，西达基奥仑赛）BCMA CAR-T细胞产品", VIB, MSB),
        product("aucatzyl", "Aucatzyl", "obecabtagene autoleucel", "Autolus Therapeutics", "CD19",
                "FDA November 2024", "Aucatzyl（obecabtagene autoleucel）CD19 CAR-T细胞产品", VI19, MS19,
                " Given as a split dose (day 1 and day 10); day 0 for follow-up is the first infusion day."),
        product("relma-cel", "Relmacabtagene autoleucel (Carteyva)", "relmacabtagene autoleucel", "JW Therapeutics",
                "CD19", "NMPA China September 2021", "瑞基奥仑赛注射液（倍诺达）CD19 CAR-T细胞产品", VI19, MS19),
        product("eque-cel", "Equecabtagene autoleucel (Fucaso)", "equecabtagene autoleucel",
                "IASO Biotherapeutics / Innovent Biologics", "BCMA", "NMPA China June 2023",
                "伊基奥仑赛注射液（福可苏）BCMA CAR-T细胞产品", VIB, MSB),
        product("inati-cel", "Inaticabtagene autoleucel (CNCT19)", "inaticabtagene autoleucel",
                "Juventas Cell Therapy", "CD19", "NMPA China November 2023",
                "纳基奥仑赛注射液（源瑞达，CNCT19）CD19 CAR-T细胞产品", VI19, MS19),
        product("zevor-cel", "Zevorcabtagene autoleucel (zevor-cel)", "zevorcabtagene autoleucel",
                "CARsgen Therapeutics", "BCMA", "NMPA China February 2024",
                "泽沃基奥仑赛注射液（赛恺泽）BCMA CAR-T细胞产品", VIB, MSB),
        product("actaly-cel", "Actalycabtagene autoleucel (NexCAR19)", "actalycabtagene autoleucel",
                "ImmunoACT", "CD19", "CDSCO India October 2023",
                "NexCAR19（actalycabtagene autoleucel）CD19 CAR-T细胞产品", VI19, MS19),
        concept("other", "Other or investigational CAR-T product",
                "A CAR-T cell product not listed in this CodeSystem (investigational, academic or newly approved); name it in "
                "the text of the CodeableConcept.",
                "其他或研究性CAR-T细胞产品", "Sản phẩm tế bào CAR-T khác hoặc đang nghiên cứu",
                "Produk sel CAR-T lain atau dalam kajian"),
    ],
    properties=[
        {"code": "inn", "description": "International non-proprietary name", "type": "string"},
        {"code": "manufacturer", "description": "Marketing authorisation holder / manufacturer", "type": "string"},
        {"code": "targetAntigen", "description": "Antigen targeted by the CAR", "type": "string"},
        {"code": "approval", "description": "First regulatory approval found (agency and date)", "type": "string"},
    ])

# ---------------------------------------------------------------------------------------------
# Own observation / event / procedure codes
# ---------------------------------------------------------------------------------------------
codesystem(
    "cart-observation", "CAR-T follow-up observation codes",
    "Observation and component codes of this guide, used where no sourced LOINC or SNOMED CT code exists (no LOINC "
    "codes were found for the ICE score, CAPD-based ICANS grading or the ASTCT grades). Grades and domains follow the "
    "ASTCT consensus (" + LEE_2019 + "); follow-up items follow the CIBMTR 4100 and EBMT MED-A forms.",
    [
        concept("crs-assessment", "CRS assessment (ASTCT)",
                "A point-in-time assessment of cytokine release syndrome: fever, hypotension support, oxygen support and the "
                "ASTCT CRS grade derived from them.",
                "CRS评估（ASTCT）", "Đánh giá CRS (ASTCT)", "Penilaian CRS (ASTCT)"),
        concept("crs-grade", "ASTCT CRS grade",
                "The ASTCT CRS grade derived at the time of an assessment.",
                "ASTCT CRS分级", "Phân độ CRS theo ASTCT", "Gred CRS ASTCT"),
        concept("fever", "Fever not attributable to another cause",
                "Temperature of 38.0 °C or more that is not explained by another cause such as infection (true/false).",
                "非其他原因所致发热（≥38.0 °C）", "Sốt (≥38,0 °C) không do nguyên nhân khác",
                "Demam (≥38.0 °C) bukan disebabkan punca lain"),
        concept("fever-masked", "Fever masked by antipyretic or anticytokine therapy",
                "No fever because antipyretic or anticytokine therapy (for example tocilizumab or corticosteroids) has been "
                "given; the CRS grade is then driven by hypotension and hypoxia (true/false).",
                "解热或抗细胞因子治疗后发热被掩盖", "Sốt bị che lấp do điều trị hạ sốt hoặc kháng cytokine",
                "Demam terlindung oleh terapi antipiretik atau antisitokin"),
        concept("hypotension-support", "Hypotension support required",
                "Treatment needed for CRS-related hypotension (coded with crs-pressor-support).",
                "低血压所需支持治疗", "Hỗ trợ điều trị hạ huyết áp cần thiết", "Sokongan yang diperlukan untuk hipotensi"),
        concept("oxygen-support", "Oxygen support required",
                "Oxygen delivery needed for CRS-related hypoxia (coded with crs-o2-support).",
                "低氧血症所需氧疗支持", "Hỗ trợ oxy cần thiết", "Sokongan oksigen yang diperlukan"),
        concept("ice-score", "ICE score",
                "Immune effector cell-associated encephalopathy (ICE) screening score, 0-10, with its five items.",
                "ICE评分（免疫效应细胞相关脑病评分）", "Điểm ICE (bệnh não liên quan tế bào hiệu ứng miễn dịch)",
                "Skor ICE (ensefalopati berkaitan sel efektor imun)"),
        concept("capd-score", "CAPD score",
                "Cornell Assessment of Pediatric Delirium total score, used instead of ICE in children aged 12 or under.",
                "CAPD评分（康奈尔儿童谵妄评估）", "Điểm CAPD (đánh giá mê sảng nhi khoa Cornell)",
                "Skor CAPD (Penilaian Delirium Pediatrik Cornell)"),
        concept("icans-assessment", "ICANS assessment (ASTCT)",
                "A point-in-time assessment of ICANS: ICE or CAPD score, level of consciousness, seizure, motor findings, "
                "raised intracranial pressure / cerebral oedema and the ASTCT ICANS grade derived from them.",
                "ICANS评估（ASTCT）", "Đánh giá ICANS (ASTCT)", "Penilaian ICANS (ASTCT)"),
        concept("icans-grade", "ASTCT ICANS grade",
                "The ASTCT ICANS grade derived at the time of an assessment.",
                "ASTCT ICANS分级", "Phân độ ICANS theo ASTCT", "Gred ICANS ASTCT"),
        concept("consciousness-level", "Level of consciousness (ICANS domain)",
                "Depressed level of consciousness domain of the ICANS grade (coded with icans-consciousness).",
                "意识水平（ICANS评估项）", "Mức độ ý thức (lĩnh vực ICANS)", "Tahap kesedaran (domain ICANS)"),
        concept("seizure", "Seizure (ICANS domain)",
                "Seizure domain of the ICANS grade (coded with icans-seizure).",
                "癫痫发作（ICANS评估项）", "Co giật (lĩnh vực ICANS)", "Sawan (domain ICANS)"),
        concept("motor-finding", "Motor findings (ICANS domain)",
                "Motor domain of the ICANS grade (coded with icans-motor).",
                "运动功能（ICANS评估项）", "Dấu hiệu vận động (lĩnh vực ICANS)", "Penemuan motor (domain ICANS)"),
        concept("raised-icp", "Raised ICP / cerebral oedema (ICANS domain)",
                "Raised intracranial pressure / cerebral oedema domain of the ICANS grade (coded with icans-icp).",
                "颅内压增高/脑水肿（ICANS评估项）", "Tăng áp lực nội sọ / phù não (lĩnh vực ICANS)",
                "Peningkatan tekanan intrakranial / edema serebrum (domain ICANS)"),
        concept("disease-response", "Disease response",
                "Response of the disease treated with CAR-T at the assessment date (coded with disease-response).",
                "疾病疗效评估", "Đáp ứng của bệnh", "Respons penyakit"),
        concept("best-response", "Best response since infusion",
                "Best response of the treated disease achieved between the CAR-T infusion and the assessment date, as asked "
                "on the CIBMTR and EBMT follow-up forms.",
                "回输后最佳疗效", "Đáp ứng tốt nhất kể từ khi truyền", "Respons terbaik sejak infusi"),
        concept("survival-status", "Survival status",
                "Vital status of the patient at the contact date (coded with survival-status).",
                "生存状态", "Tình trạng sống còn", "Status kemandirian"),
        concept("cause-of-death", "Cause of death",
                "Main cause of death (coded with cause-of-death).",
                "死亡原因", "Nguyên nhân tử vong", "Punca kematian"),
        concept("cart-persistence", "CAR-T cell persistence",
                "Whether the CAR transgene or CAR-expressing T cells are detected in a patient sample (blood, marrow or "
                "tissue), by PCR, flow cytometry or immunohistochemistry.",
                "CAR-T细胞持续存在检测", "Sự tồn tại của tế bào CAR-T", "Kegigihan sel CAR-T"),
    ])

valueset_enum("response-observation-codes", "Disease response observation codes",
              "Observation codes of the disease-response profile: response at the assessment date or best response since "
              "infusion.", cs_url("cart-observation"),
              [("disease-response", "Disease response"), ("best-response", "Best response since infusion")])

codesystem(
    "cart-event-type", "CAR-T clinical event type",
    "Types of clinical events tracked after CAR-T therapy: used in AdverseEvent.event (CRS, ICANS) and "
    "Condition.category (new malignancy). ICD-10-CM codes (D89.83x, G92.0x) may be added as extra codings.",
    [
        concept("crs", "Cytokine release syndrome",
                "Cytokine release syndrome after immune effector cell therapy: a systemic inflammatory response with fever, "
                "possibly with hypotension and hypoxia, graded with the ASTCT consensus.",
                "细胞因子释放综合征（CRS）", "Hội chứng giải phóng cytokine (CRS)", "Sindrom pelepasan sitokin (CRS)"),
        concept("icans", "Immune effector cell-associated neurotoxicity syndrome",
                "Neurotoxicity after immune effector cell therapy (encephalopathy, depressed consciousness, seizures, motor "
                "weakness, cerebral oedema), graded with the ASTCT consensus.",
                "免疫效应细胞相关神经毒性综合征（ICANS）",
                "Hội chứng độc tính thần kinh liên quan đến tế bào hiệu ứng miễn dịch (ICANS)",
                "Sindrom neurotoksisiti berkaitan sel efektor imun (ICANS)"),
        concept("new-malignancy", "New malignancy after CAR-T",
                "A malignancy diagnosed after CAR-T infusion that is not a relapse or progression of the treated disease "
                "(for example a T-cell malignancy or a solid tumour); triggers CAR-transgene testing and a report to the "
                "manufacturer (FDA boxed warning, January 2024).",
                "CAR-T治疗后新发恶性肿瘤", "Bệnh ác tính mới sau CAR-T", "Malignansi baharu selepas CAR-T"),
    ])

codesystem(
    "cart-task", "CAR-T follow-up work item",
    "Work items the hub raises for clinicians, such as the secondary-malignancy safety net after the FDA boxed warning "
    "on BCMA/CD19 CAR-T products (January 2024): test the tumour for the CAR transgene and inform the manufacturer.",
    [
        concept("car-transgene-test", "CAR-transgene testing of a new malignancy",
                "Test the tumour sample of a new malignancy in a CAR-T recipient for the CAR transgene, to tell a "
                "CAR-positive malignancy from an unrelated one.",
                "新发恶性肿瘤的CAR转基因检测", "Xét nghiệm gen chuyển CAR trên khối u ác tính mới",
                "Ujian transgen CAR bagi keganasan baharu"),
        concept("manufacturer-notification", "Notify the product's manufacturer",
                "Inform the manufacturer of the infused CAR-T product that a recipient developed a new malignancy, with "
                "product and lot, so that it can arrange CAR-transgene testing and its safety reporting.",
                "通知产品生产商", "Thông báo cho nhà sản xuất sản phẩm", "Maklumkan pengilang produk"),
        concept("grade-review", "Review the stated toxicity grade",
                "The highest grade stated for a CRS or ICANS episode disagrees with what the episode's recorded "
                "assessments support; a clinician confirms or corrects it. The server never regrades by itself.",
                "复核所报告的毒性分级", "Xem xét lại mức độ độc tính đã ghi nhận", "Semak semula gred ketoksikan yang dinyatakan"),
    ])

codesystem(
    "cart-procedure", "CAR-T procedure",
    "Procedure codes of this guide. No SNOMED CT, LOINC or ICD-10-PCS code for CAR-T infusion was found; CPT 38228 "
    "(AMA, licensed) may be added as an extra coding where licensed.",
    [
        concept("cart-infusion", "CAR-T cell infusion",
                "Intravenous infusion of a CAR-T cell product into the patient; the (first) infusion date is day 0 of the "
                "follow-up.",
                "CAR-T细胞回输", "Truyền tế bào CAR-T", "Infusi sel CAR-T"),
    ])

codesystem(
    "cart-identifier-type", "CAR-T identifier type",
    "Identifier types used to slice Patient and BiologicallyDerivedProduct identifiers. A matching HL7 v2-0203 code "
    "(MR, PPN, NI) may be added to the same Identifier.type. The identifier systems are described by NamingSystems.",
    [
        concept("hub-mrn", "Hub medical record number",
                "Medical record number assigned by the hub (treating CAR-T centre); system https://cart-ltfu.org/fhir/sid/hub-mrn.",
                "中心医院病历号", "Mã hồ sơ bệnh án tại bệnh viện trung tâm", "Nombor rekod perubatan hospital hab"),
        concept("spoke-mrn", "Spoke medical record number",
                "Medical record number assigned by a spoke (follow-up hospital); system https://cart-ltfu.org/fhir/sid/spoke-mrn/{spoke-code}.",
                "协作医院病历号", "Mã hồ sơ bệnh án tại bệnh viện vệ tinh", "Nombor rekod perubatan hospital satelit"),
        concept("national-id", "National identity number",
                "National identity number of the patient; system https://cart-ltfu.org/fhir/sid/national-id/{country}. Never exported.",
                "居民身份证号", "Số định danh cá nhân", "Nombor kad pengenalan"),
        concept("passport", "Passport number",
                "Passport number; system https://cart-ltfu.org/fhir/sid/passport/{issuing-country}.",
                "护照号", "Số hộ chiếu", "Nombor pasport"),
        concept("cibmtr-crid", "CIBMTR Research ID (CRID)",
                "CIBMTR Research ID assigned through the CRID API.",
                "CIBMTR研究编号（CRID）", "Mã nghiên cứu CIBMTR (CRID)", "ID Penyelidikan CIBMTR (CRID)"),
        concept("ebmt-id", "EBMT registry identifier",
                "EBMT registry patient identifier (centre identification code plus patient number).",
                "EBMT登记处患者编号", "Mã bệnh nhân sổ đăng ký EBMT", "Pengecam pesakit daftar EBMT"),
        concept("coi", "Chain-of-identity identifier",
                "Identifier that links apheresis, manufacturing and infusion of one autologous therapy (ISBT 128 ST-028 or the "
                "manufacturer's COI / JOIN ID).",
                "身份链标识符（COI）", "Mã chuỗi định danh (COI)", "Pengecam rantaian identiti (COI)"),
        concept("lot", "Manufacturing lot / batch number",
                "Lot or batch number given by the manufacturer to the manufactured product.",
                "生产批号", "Số lô sản xuất", "Nombor lot pengeluaran"),
    ])

codesystem(
    "toxicity-grading-scale", "Toxicity grading scale",
    "Grading scale used for a CRS or ICANS grade. Scales before 2019 (Lee 2014, Penn, MSKCC, CARTOX) are not "
    "interchangeable with ASTCT and must be kept with the grade.",
    [
        concept("astct-2019", "ASTCT consensus 2019",
                "ASTCT consensus grading for CRS and ICANS (" + LEE_2019 + ").",
                "ASTCT 2019共识分级", "Phân độ đồng thuận ASTCT 2019", "Penggredan konsensus ASTCT 2019"),
        concept("ctcae-v5", "CTCAE v5.0",
                "NCI Common Terminology Criteria for Adverse Events, version 5.0.",
                "CTCAE 5.0版", "CTCAE phiên bản 5.0", "CTCAE versi 5.0"),
        concept("lee-2014", "Lee 2014 CRS grading",
                "CRS grading proposed by Lee et al. in Blood 2014, used before the ASTCT consensus.",
                "Lee 2014 CRS分级", "Phân độ CRS Lee 2014", "Penggredan CRS Lee 2014"),
        concept("penn", "Penn CRS grading",
                "University of Pennsylvania CRS grading scale.",
                "宾夕法尼亚大学CRS分级", "Phân độ CRS của Đại học Pennsylvania", "Penggredan CRS Universiti Pennsylvania"),
        concept("mskcc", "MSKCC CRS grading",
                "Memorial Sloan Kettering Cancer Center CRS grading scale.",
                "MSKCC CRS分级", "Phân độ CRS của MSKCC", "Penggredan CRS MSKCC"),
        concept("cartox", "CARTOX grading",
                "CAR-T-cell-therapy-associated TOXicity (CARTOX) working group grading, including the CARTOX-10 neurological "
                "assessment.",
                "CARTOX分级", "Phân độ CARTOX", "Penggredan CARTOX"),
    ])

codesystem(
    "disease-response", "Disease response",
    "Generic response categories for the disease treated with CAR-T (lymphoma, leukaemia, myeloma), as collected on "
    "registry follow-up forms. The disease-specific criteria used (e.g. Lugano 2014, IMWG, NCCN) go in "
    "Observation.method.",
    [
        concept("complete-response", "Complete response / remission",
                "No evidence of disease by the applicable response criteria.",
                "完全缓解", "Đáp ứng hoàn toàn", "Respons lengkap"),
        concept("very-good-partial-response", "Very good partial response",
                "Very good partial response (myeloma response criteria).",
                "非常好的部分缓解", "Đáp ứng một phần rất tốt", "Respons separa yang sangat baik"),
        concept("partial-response", "Partial response",
                "Partial response by the applicable response criteria.",
                "部分缓解", "Đáp ứng một phần", "Respons separa"),
        concept("stable-disease", "Stable disease",
                "Neither response nor progression by the applicable criteria.",
                "疾病稳定", "Bệnh ổn định", "Penyakit stabil"),
        concept("progressive-disease", "Progressive disease",
                "Progression of disease that had not reached remission.",
                "疾病进展", "Bệnh tiến triển", "Penyakit progresif"),
        concept("relapse", "Relapse",
                "Return of disease after a complete response.",
                "复发", "Tái phát", "Relaps"),
        concept("not-evaluable", "Not evaluable",
                "Response could not be assessed.",
                "无法评估", "Không đánh giá được", "Tidak dapat dinilai"),
    ])

codesystem(
    "survival-status", "Survival status",
    "Vital status at a follow-up contact (CIBMTR 4100 survival section).",
    [
        concept("alive", "Alive", "The patient was alive at the contact date.", "存活", "Còn sống", "Masih hidup"),
        concept("dead", "Dead", "The patient had died by the contact date.", "死亡", "Đã tử vong", "Telah meninggal dunia"),
        concept("unknown", "Unknown (lost to follow-up)", "Vital status unknown; the patient could not be contacted.",
                "未知（失访）", "Không rõ (mất theo dõi)", "Tidak diketahui (hilang susulan)"),
    ])

codesystem(
    "cause-of-death", "Cause of death",
    "Main cause of death after CAR-T therapy, coarse categories for registry reporting.",
    [
        concept("primary-disease", "Relapse or progression of the treated disease",
                "Death mainly due to relapse or progression of the disease treated with CAR-T.",
                "原发病复发或进展", "Bệnh nền tái phát hoặc tiến triển", "Relaps atau progresi penyakit asal"),
        concept("crs", "Cytokine release syndrome", "Death due to CRS (ASTCT CRS grade 5).",
                "细胞因子释放综合征", "Hội chứng giải phóng cytokine", "Sindrom pelepasan sitokin"),
        concept("icans", "ICANS", "Death due to ICANS (ASTCT ICANS grade 5).",
                "免疫效应细胞相关神经毒性综合征", "Độc tính thần kinh ICANS", "Neurotoksisiti ICANS"),
        concept("infection", "Infection", "Death mainly due to infection.", "感染", "Nhiễm trùng", "Jangkitan"),
        concept("new-malignancy", "New malignancy", "Death mainly due to a new (second) malignancy.",
                "新发恶性肿瘤", "Bệnh ác tính mới", "Malignansi baharu"),
        concept("other", "Other cause", "Another cause of death; describe it in the text.",
                "其他原因", "Nguyên nhân khác", "Sebab lain"),
        concept("unknown", "Unknown cause", "The cause of death is not known.", "原因不明", "Không rõ nguyên nhân",
                "Sebab tidak diketahui"),
    ])

codesystem(
    "detection-result", "Detection result",
    "Qualitative result of a detection test (e.g. CAR transgene by PCR).",
    [
        concept("detected", "Detected", "The target was detected in the sample.", "检出", "Phát hiện", "Dikesan"),
        concept("not-detected", "Not detected", "The target was not detected in the sample.", "未检出", "Không phát hiện",
                "Tidak dikesan"),
        concept("indeterminate", "Indeterminate", "The result could not be interpreted.", "结果不确定",
                "Không xác định", "Tidak dapat ditentukan"),
    ])

codesystem(
    "persistence-method", "CAR-T persistence method",
    "Laboratory methods to detect CAR-T cells (CIBMTR 4100 persistence questions).",
    [
        concept("pcr", "PCR for the CAR transgene", "Polymerase chain reaction for the CAR transgene.",
                "CAR转基因PCR检测", "PCR phát hiện gen chuyển CAR", "PCR untuk transgen CAR"),
        concept("flow-cytometry", "Flow cytometry", "Flow cytometry for CAR-expressing T cells.", "流式细胞术",
                "Đếm tế bào dòng chảy", "Sitometri aliran"),
        concept("immunohistochemistry", "Immunohistochemistry", "Immunohistochemistry on tissue for CAR-T cells.",
                "免疫组织化学", "Hóa mô miễn dịch", "Imunohistokimia"),
        concept("other", "Other method", "Another method; describe it in the text.", "其他方法", "Phương pháp khác",
                "Kaedah lain"),
    ])

codesystem(
    "jurisdiction-policy", "Data protection jurisdiction policy",
    "The data-protection regime that governs a research consent and any transfer to or from the hub. Summaries are "
    "orientation only, not legal advice; each code points to a policy document of the hub "
    "(https://cart-ltfu.org/fhir/policy/{code}).",
    [
        concept("sg-pdpa", "Singapore PDPA",
                "Singapore Personal Data Protection Act (s26) and Regulations 2021 (reg 10): transfers need comparable protection "
                "through legally enforceable obligations or a deemed basis such as informed consent with a written summary.",
                "新加坡《个人数据保护法》（PDPA）", "Luật Bảo vệ Dữ liệu Cá nhân Singapore (PDPA)",
                "Akta Perlindungan Data Peribadi Singapura (PDPA)"),
        concept("cn-pipl", "China PIPL",
                "China Personal Information Protection Law (Art 38/39): separate consent, impact assessment and a CAC security "
                "assessment, standard contract or certification; health data is sensitive personal information.",
                "中国《个人信息保护法》（PIPL）", "Luật Bảo vệ Thông tin Cá nhân Trung Quốc (PIPL)",
                "Undang-undang Perlindungan Maklumat Peribadi China (PIPL)"),
        concept("vn-pdpl", "Vietnam Personal Data Protection Law",
                "Vietnam Personal Data Protection Law 91/2025/QH15 with Decree 356/2025 (replacing Decree 13/2023; start date "
                "1 January 2026 [V]): an outbound transfer impact assessment dossier is filed with the Ministry of Public Security.",
                "越南《个人数据保护法》", "Luật Bảo vệ dữ liệu cá nhân Việt Nam (91/2025/QH15)",
                "Undang-undang Perlindungan Data Peribadi Vietnam"),
        concept("in-dpdp", "India DPDP Act 2023",
                "India Digital Personal Data Protection Act 2023 (s16): transfers allowed except to notified countries; stricter "
                "sector laws prevail.",
                "印度《2023年数字个人数据保护法》", "Đạo luật Bảo vệ Dữ liệu Cá nhân Số của Ấn Độ 2023",
                "Akta Perlindungan Data Peribadi Digital India 2023"),
        concept("my-pdpa", "Malaysia PDPA (amended 2024)",
                "Malaysia Personal Data Protection Act as amended in 2024: the s129 whitelist is removed; transfers rely on a "
                "transfer impact assessment (reassessed every 3 years), consent or contractual necessity.",
                "马来西亚《个人数据保护法》（2024年修订）", "Luật Bảo vệ Dữ liệu Cá nhân Malaysia (sửa đổi 2024)",
                "Akta Perlindungan Data Peribadi Malaysia (pindaan 2024)"),
        concept("eu-gdpr", "EU GDPR",
                "EU General Data Protection Regulation: health data is special-category data (Art 9), pseudonymised data remains "
                "personal data (Art 4(5)), research safeguards under Art 89.",
                "欧盟《通用数据保护条例》（GDPR）", "Quy định chung về bảo vệ dữ liệu của EU (GDPR)",
                "Peraturan Perlindungan Data Umum EU (GDPR)"),
    ])

# ---------------------------------------------------------------------------------------------
# LOINC value sets (codes sourced in the domain brief)
# ---------------------------------------------------------------------------------------------
LOINC_COPY = ("This material contains content from LOINC (http://loinc.org). LOINC is copyright Regenstrief "
              "Institute, Inc. and the LOINC Committee and is available at no cost under the license at "
              "http://loinc.org/license.")
FERRITIN = [("2276-4", "Ferritin [Mass/volume] in Serum or Plasma"),
            ("20567-4", "Ferritin [Mass/volume] in Serum or Plasma by Immunoassay"),
            ("24373-3", "Ferritin [Mass/volume] in Blood")]
CRP = [("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma")]
ANC = [("26499-4", "Neutrophils [#/volume] in Blood"),
       ("751-8", "Neutrophils [#/volume] in Blood by Automated count"),
       ("753-4", "Neutrophils [#/volume] in Blood by Manual count")]
PLT = [("26515-7", "Platelets [#/volume] in Blood"),
       ("777-3", "Platelets [#/volume] in Blood by Automated count"),
       ("778-1", "Platelets [#/volume] in Blood by Manual count")]
IGG = [("2465-3", "IgG [Mass/volume] in Serum or Plasma")]
CBC = [("57021-8", "CBC W Auto Differential panel - Blood")]
VITALS = [("8310-5", "Body temperature"), ("8480-6", "Systolic blood pressure"), ("8867-4", "Heart rate"),
          ("9279-1", "Respiratory rate"), ("2708-6", "Oxygen saturation in Arterial blood")]

valueset_enum("followup-labs", "CAR-T follow-up laboratory tests (LOINC)",
              "LOINC codes for the laboratory tests followed after CAR-T (ferritin, CRP, absolute neutrophils, platelets, "
              "IgG, CBC with automated differential), as found in the CIBMTR reporting IG and public FHIR IGs.",
              LOINC, FERRITIN + CRP + ANC + PLT + IGG + CBC, LOINC_COPY)
valueset_enum("ferritin-codes", "Ferritin (LOINC)", "LOINC codes accepted for ferritin.", LOINC, FERRITIN, LOINC_COPY)
valueset_enum("anc-codes", "Absolute neutrophil count (LOINC)", "LOINC codes accepted for the absolute neutrophil count.",
              LOINC, ANC, LOINC_COPY)
valueset_enum("platelet-codes", "Platelet count (LOINC)", "LOINC codes accepted for the platelet count.", LOINC, PLT,
              LOINC_COPY)
valueset_enum("crs-vital-signs", "Vital signs for CRS monitoring (LOINC)",
              "LOINC codes for the raw vital signs stored next to CRS assessments (temperature, systolic blood pressure, heart "
              "rate, respiratory rate, arterial oxygen saturation). SpO2 by pulse oximetry 59408-5 is not included until "
              "verified [V].", LOINC, VITALS, LOINC_COPY)

# ---------------------------------------------------------------------------------------------
# ConceptMaps
# ---------------------------------------------------------------------------------------------
def conceptmap(cid, title, description, source_vs, target_vs, source_system, target_system, elements):
    RESOURCES.append({
        "resourceType": "ConceptMap",
        "id": cid,
        "url": f"{BASE}/ConceptMap/{cid}",
        "version": VERSION,
        "name": pascal(cid),
        "title": title,
        "status": "active",
        "experimental": False,
        "date": DATE,
        "publisher": PUBLISHER,
        "description": description,
        "sourceCanonical": source_vs,
        "targetUri": target_vs,
        "group": [{"source": source_system, "target": target_system, "element": elements}],
    })


def el(code, display, targets):
    return {"code": code, "display": display, "target": targets}


def tgt(code, display, equivalence, comment=None):
    t = {}
    if code:
        t["code"] = code
        t["display"] = display
    t["equivalence"] = equivalence
    if comment:
        t["comment"] = comment
    return t


conceptmap(
    "astct-crs-grade-to-icd10cm", "ASTCT CRS grade to ICD-10-CM",
    "Maps ASTCT CRS grades to the ICD-10-CM codes for cytokine release syndrome by grade (category D89.83-). ICD-10-CM "
    "is a US clinical modification that WHO ICD-10 users may not have [V]. For a complication of CAR-T therapy, "
    "ICD-10-CM also has T80.82- ('code also' D89.83-).",
    vs_url("astct-crs-grade"), "http://hl7.org/fhir/sid/icd-10-cm", cs_url("astct-crs-grade"), ICD10CM,
    [
        el("0", "No CRS", [tgt(None, None, "unmatched", "No CRS: no ICD-10-CM code.")]),
        el("1", "CRS grade 1", [tgt("D89.831", "Cytokine release syndrome, grade 1", "equivalent",
                                    "[V] D89.831 follows the pattern of the sourced codes D89.832-D89.835; verify it in the "
                                    "current ICD-10-CM tabular list before use.")]),
        el("2", "CRS grade 2", [tgt("D89.832", "Cytokine release syndrome, grade 2", "equivalent")]),
        el("3", "CRS grade 3", [tgt("D89.833", "Cytokine release syndrome, grade 3", "equivalent")]),
        el("4", "CRS grade 4", [tgt("D89.834", "Cytokine release syndrome, grade 4", "equivalent")]),
        el("5", "CRS grade 5 (death)", [tgt("D89.835", "Cytokine release syndrome, grade 5", "equivalent")]),
    ])

conceptmap(
    "astct-icans-grade-to-icd10cm", "ASTCT ICANS grade to ICD-10-CM",
    "Maps ASTCT ICANS grades to the ICD-10-CM codes for immune effector cell-associated neurotoxicity syndrome by grade "
    "(G92.01-G92.05; G92.00 = grade unspecified). ICD-10-CM is a US clinical modification [V for non-US use].",
    vs_url("astct-icans-grade"), "http://hl7.org/fhir/sid/icd-10-cm", cs_url("astct-icans-grade"), ICD10CM,
    [
        el("0", "No ICANS", [tgt(None, None, "unmatched", "No ICANS: no ICD-10-CM code.")]),
    ] + [
        el(str(g), f"ICANS grade {g}" + (" (death)" if g == 5 else ""),
           [tgt(f"G92.0{g}", f"Immune effector cell-associated neurotoxicity syndrome, grade {g}", "equivalent")])
        for g in range(1, 6)
    ])

NCIT_GRADES = {1: ("C41338", "Grade 1 Mild Adverse Event"),
               2: ("C41339", "Grade 2 Moderate Adverse Event"),
               3: ("C41340", "Grade 3 Severe Adverse Event"),
               4: ("C41337", "Grade 4 Life Threatening or Disabling Adverse Event")}
for kind, label in (("crs", "CRS"), ("icans", "ICANS")):
    elements = [el("0", f"No {label}", [tgt(None, None, "unmatched", f"No {label}: no adverse event to grade.")])]
    for g in range(1, 5):
        code, disp = NCIT_GRADES[g]
        elements.append(el(str(g), f"{label} grade {g}",
                           [tgt(code, disp, "inexact",
                                f"ASTCT {label} grade {g} uses its own criteria; it corresponds to the generic adverse-event "
                                f"grade {g} by number and severity level only.")]))
    elements.append(el("5", f"{label} grade 5 (death)",
                       [tgt(None, None, "unmatched",
                            "[V] The NCIt concept for adverse-event grade 5 (death related to AE) was not verified; not mapped.")]))
    conceptmap(
        f"astct-{kind}-grade-to-ncit-ae-grade", f"ASTCT {label} grade to NCIt adverse-event grade",
        f"Maps ASTCT {label} grades to the generic NCIt adverse-event severity grades (as used by the HL7 adverse-event "
        "clinical research grade value set and the AE Clinical Research backport ae-grade extension). The numbers agree but "
        "the criteria differ, so the maps are inexact. NCIt display names [V].",
        vs_url(f"astct-{kind}-grade"), "http://terminology.hl7.org/ValueSet/adverse-event-clinical-research-grades",
        cs_url(f"astct-{kind}-grade"), NCIT, elements)

# ---------------------------------------------------------------------------------------------
# NamingSystems (identifier issuers)
# ---------------------------------------------------------------------------------------------
def namingsystem(nid, name, description, uri, responsible=None, type_code=None, type_display=None, country=None):
    ns = {
        "resourceType": "NamingSystem",
        "id": nid,
        "name": pascal(nid),
        "status": "active",
        "kind": "identifier",
        "date": DATE,
        "publisher": PUBLISHER,
    }
    if responsible:
        ns["responsible"] = responsible
    if type_code:
        ns["type"] = {"coding": [{"system": cs_url("cart-identifier-type"), "code": type_code, "display": type_display}]}
    ns["description"] = description
    if country:
        ns["jurisdiction"] = [{"coding": [{"system": "urn:iso:std:iso:3166", "code": country.upper()}]}]
    ns["uniqueId"] = [{"type": "uri", "value": uri, "preferred": True}]
    RESOURCES.append(ns)


SID = f"{BASE}/sid"
namingsystem("hub-mrn", "HubMrn", "Medical record numbers of the hub (Singapore General Hospital, site code sg-sgh).",
             f"{SID}/hub-mrn", "Singapore General Hospital (hub)", "hub-mrn", "Hub medical record number", "sg")
SPOKES = {"vn-bachmai": ("Bach Mai Hospital, Hanoi", "vn"),
          "in-aiims": ("All India Institute of Medical Sciences, New Delhi", "in"),
          "my-hkl": ("Hospital Kuala Lumpur", "my"),
          "cn-pumch": ("Peking Union Medical College Hospital, Beijing", "cn")}
for code, (label, country) in SPOKES.items():
    namingsystem(f"spoke-mrn-{code}", None, f"Medical record numbers of the spoke {label} (site code {code}).",
                 f"{SID}/spoke-mrn/{code}", label, "spoke-mrn", "Spoke medical record number", country)
COUNTRIES = {"sg": ("Singapore", "NRIC/FIN"), "vn": ("Viet Nam", "citizen identity card (CCCD) number"),
             "in": ("India", "Aadhaar number"), "my": ("Malaysia", "MyKad number"),
             "cn": ("China", "resident identity card number")}
for cc, (cname, idname) in COUNTRIES.items():
    namingsystem(f"passport-{cc}", None, f"Passports issued by {cname}.", f"{SID}/passport/{cc}",
                 f"{cname} passport authority", "passport", "Passport number", cc)
    namingsystem(f"national-id-{cc}", None,
                 f"{cname} national identity numbers ({idname}). Stored at the hub for matching only; never exported.",
                 f"{SID}/national-id/{cc}", f"{cname} national registration authority", "national-id",
                 "National identity number", cc)
namingsystem("cibmtr-crid", "CibmtrCrid", "CIBMTR Research ID (CRID), assigned through the CIBMTR CRID API.",
             f"{SID}/cibmtr-crid", "CIBMTR", "cibmtr-crid", "CIBMTR Research ID (CRID)")
namingsystem("ebmt-id", "EbmtId", "EBMT registry patient identifier (centre identification code + patient number).",
             f"{SID}/ebmt-id", "EBMT", "ebmt-id", "EBMT registry identifier")
namingsystem("coi", "Coi",
             "Chain-of-identity identifiers of autologous CAR-T therapies (ISBT 128 ST-028 chain-of-identity identifier or "
             "the manufacturer's COI/JOIN ID), one per therapy.", f"{SID}/coi", "Hub cell therapy laboratory", "coi",
             "Chain-of-identity identifier")
namingsystem("site", "Site",
             "Site codes of the hub and the spokes of the network (e.g. sg-sgh, vn-bachmai, in-aiims, my-hkl, cn-pumch); "
             "used as Organization.identifier and in the spoke MRN systems.", f"{SID}/site", "CAR-T LTFU hub project")


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    for r in RESOURCES:
        if r["resourceType"] == "NamingSystem" and r["name"] is None:
            r["name"] = pascal(r["id"])
        path = os.path.join(OUT, f"{r['resourceType']}-{r['id']}.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(r, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    print(f"wrote {len(RESOURCES)} resources to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
