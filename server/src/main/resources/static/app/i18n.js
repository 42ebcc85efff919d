// Labels in en / zh / vi / ms; coded values in the person's language from our CodeSystems' designations
// (CodeSystem/$lookup with displayLanguage), so a code reads the same here as in the IG.
import { fhir, params, value } from './fhir.js';

const LABELS = {
  en: {
    'nav.upload': 'Upload visits', 'upload.title': 'Upload follow-up visits (spreadsheet)',
    'upload.help': 'Download the template of a time point, fill in one line per patient in Excel, save it as CSV and send it here. The hub stores the whole file or nothing, and lists what to fix by line and column.',
    'upload.template': 'Template:', 'upload.yearly': 'Yearly', 'upload.file': 'CSV file', 'upload.encoding': 'Saved as',
    'upload.utf8': 'CSV UTF-8 (recommended)', 'upload.send': 'Send to the hub',
    'upload.stored': 'Stored: {visits} visits ({created} new records, {existing} already there).',
    'upload.refused': 'Nothing was stored. Fix these and send the file again:', 'col.line': 'Line',
    'col.where': 'Where', 'col.problem': 'Problem',
    'hub.automatic': 'the hub (automatic)',
    'patients.more': 'The first 50 are shown: type more of a name or an identifier to narrow the list.',
    'app.title': 'CAR-T follow-up', 'app.loading': 'Loading…', 'nav.patients': 'Patients',
    'nav.overdue': 'Overdue follow-up', 'nav.trace': 'Lot trace', 'nav.calculator': 'Grading calculator',
    'nav.language': 'Language', 'nav.logout': 'Log out',
    'patients.title': 'Patients', 'patients.search': 'Name, MRN, CRID or product lot', 'patients.find': 'Search',
    'patients.none': 'No patient found.', 'col.name': 'Name', 'col.identifiers': 'Identifiers', 'col.site': 'Site',
    'col.birthDate': 'Birth date', 'col.flags': 'Flags', 'flag.overdue': 'overdue visit',
    'flag.severe': 'grade ≥ 3 in the last 30 days', 'flag.review': 'grade review', 'flag.malignancy': 'open malignancy task',
    'flag.consent': 'consent', 'flag.noConsent': 'no consent',
    'patient.infusion': 'Infusion (day 0)', 'patient.timeline': 'CRS and ICANS, days since infusion',
    'patient.episodes': 'Episodes', 'patient.labs': 'Labs', 'patient.visits': 'Follow-up visits',
    'patient.status': 'Response and survival', 'patient.malignancies': 'New malignancies',
    'patient.report': 'Report a follow-up visit', 'col.toxicity': 'Toxicity', 'col.onset': 'Onset',
    'col.resolution': 'Resolution', 'col.statedGrade': 'Highest grade (stated)', 'col.assessedGrade': 'Grade the assessments support',
    'col.treatment': 'Treatment', 'col.recordedBy': 'Recorded by', 'col.day': 'Day', 'col.date': 'Date',
    'col.visit': 'Visit', 'col.window': 'Window', 'col.status': 'Status', 'col.daysOverdue': 'Days overdue',
    'col.value': 'Value', 'col.what': 'What', 'col.patient': 'Patient', 'col.events': 'Events since infusion',
    'mismatch': 'stated grade differs from the assessments', 'noInfusion': 'No CAR-T infusion recorded.',
    'status.done': 'done', 'status.due': 'due', 'status.overdue': 'overdue', 'status.upcoming': 'upcoming',
    'overdue.title': 'Overdue follow-up', 'overdue.asOf': 'As of', 'overdue.show': 'Show', 'overdue.csv': 'Download CSV',
    'overdue.none': 'Nothing overdue or due.', 'print': 'Print',
    'trace.title': 'Lot trace', 'trace.lot': 'Lot number', 'trace.coi': 'or chain of identity', 'trace.find': 'Trace',
    'trace.products': 'Products found', 'trace.recipients': 'Recipients',
    'calc.title': 'ASTCT grading calculator', 'calc.crs': 'CRS', 'calc.icans': 'ICANS', 'calc.grade': 'Grade',
    'calc.range': 'Possible range', 'calc.flags': 'Decide yourself', 'calc.drivers': 'Driven by',
    'form.title': 'Follow-up visit', 'form.timepoint': 'Visit', 'form.date': 'Visit date', 'form.survival': 'Survival status',
    'form.deathDate': 'Date of death', 'form.response': 'Disease response', 'form.responseMethod': 'Response method',
    'form.labs': 'Labs', 'form.malignancy': 'New malignancy', 'form.malignancyText': 'Diagnosis',
    'form.malignancyDate': 'Diagnosed on', 'form.persistence': 'CAR-T persistence', 'form.persistenceMethod': 'Method',
    'form.infections': 'Infections since the last visit', 'form.hospitalisations': 'Hospitalisations since the last visit',
    'form.submit': 'Send to the hub', 'form.sent': 'Sent: the hub has stored this visit.', 'form.failed': 'Not stored:',
    'form.draft': 'Draft kept in this browser until it is sent.', 'none': '—', 'yes': 'yes', 'no': 'no',
    'notFound': 'Not found.', 'login.failed': 'Login failed', 'login.again': 'Log in again',
  },
  zh: {
    'nav.upload': '上传随访', 'upload.title': '上传随访（电子表格）',
    'upload.help': '下载某随访点的模板，在 Excel 中每位患者填写一行，另存为 CSV 后在此提交。中心要么保存整个文件，要么一行也不保存，并按行和列列出需要修改之处。',
    'upload.template': '模板：', 'upload.yearly': '年度', 'upload.file': 'CSV 文件', 'upload.encoding': '保存格式',
    'upload.utf8': 'CSV UTF-8（推荐）', 'upload.send': '提交至中心',
    'upload.stored': '已保存：{visits} 次随访（新记录 {created} 条，已有 {existing} 条）。',
    'upload.refused': '未保存任何内容。请修改以下问题后重新提交：', 'col.line': '行',
    'col.where': '位置', 'col.problem': '问题',
    'hub.automatic': '中心（自动）',
    'patients.more': '仅显示前50位：请输入更多姓名或标识符以缩小范围。',
    'app.title': 'CAR-T 随访', 'app.loading': '加载中…', 'nav.patients': '患者', 'nav.overdue': '逾期随访',
    'nav.trace': '批次追溯', 'nav.calculator': '分级计算器', 'nav.language': '语言', 'nav.logout': '退出',
    'patients.title': '患者', 'patients.search': '姓名、病历号、CRID 或产品批号', 'patients.find': '搜索',
    'patients.none': '未找到患者。', 'col.name': '姓名', 'col.identifiers': '标识符', 'col.site': '机构',
    'col.birthDate': '出生日期', 'col.flags': '提示', 'flag.overdue': '随访逾期', 'flag.severe': '近30天≥3级',
    'flag.review': '分级待复核', 'flag.malignancy': '恶性肿瘤任务未完成', 'flag.consent': '已同意', 'flag.noConsent': '无同意书',
    'patient.infusion': '回输（第0天）', 'patient.timeline': 'CRS 与 ICANS（回输后天数）', 'patient.episodes': '事件',
    'patient.labs': '化验', 'patient.visits': '随访', 'patient.status': '疗效与生存', 'patient.malignancies': '新发恶性肿瘤',
    'patient.report': '填写随访', 'col.toxicity': '毒性', 'col.onset': '开始', 'col.resolution': '缓解',
    'col.statedGrade': '最高分级（报告）', 'col.assessedGrade': '评估支持的分级', 'col.treatment': '治疗',
    'col.recordedBy': '记录机构', 'col.day': '天', 'col.date': '日期', 'col.visit': '随访', 'col.window': '时间窗',
    'col.status': '状态', 'col.daysOverdue': '逾期天数', 'col.value': '数值', 'col.what': '项目', 'col.patient': '患者',
    'col.events': '回输后事件', 'mismatch': '报告分级与评估不一致', 'noInfusion': '无 CAR-T 回输记录。',
    'status.done': '已完成', 'status.due': '应随访', 'status.overdue': '逾期', 'status.upcoming': '即将',
    'overdue.title': '逾期随访', 'overdue.asOf': '截至', 'overdue.show': '显示', 'overdue.csv': '下载 CSV',
    'overdue.none': '无逾期或应随访。', 'print': '打印', 'trace.title': '批次追溯', 'trace.lot': '批号',
    'trace.coi': '或身份链', 'trace.find': '追溯', 'trace.products': '找到的产品', 'trace.recipients': '接受者',
    'calc.title': 'ASTCT 分级计算器', 'calc.crs': 'CRS', 'calc.icans': 'ICANS', 'calc.grade': '分级', 'calc.range': '可能范围',
    'calc.flags': '需临床判断', 'calc.drivers': '依据', 'form.title': '随访', 'form.timepoint': '随访点',
    'form.date': '随访日期', 'form.survival': '生存状态', 'form.deathDate': '死亡日期', 'form.response': '疾病疗效',
    'form.responseMethod': '评估方法', 'form.labs': '化验', 'form.malignancy': '新发恶性肿瘤', 'form.malignancyText': '诊断',
    'form.malignancyDate': '诊断日期', 'form.persistence': 'CAR-T 持续性', 'form.persistenceMethod': '方法',
    'form.infections': '上次随访以来的感染', 'form.hospitalisations': '上次随访以来的住院', 'form.submit': '提交至中心',
    'form.sent': '已提交：中心已保存此次随访。', 'form.failed': '未保存：', 'form.draft': '草稿保存在本浏览器中，直至提交。',
    'none': '—', 'yes': '是', 'no': '否', 'notFound': '未找到。', 'login.failed': '登录失败', 'login.again': '重新登录',
  },
  vi: {
    'nav.upload': 'Tải lên lần khám', 'upload.title': 'Tải lên các lần tái khám (bảng tính)',
    'upload.help': 'Tải mẫu của một mốc theo dõi, điền mỗi bệnh nhân một dòng trong Excel, lưu dưới dạng CSV và gửi tại đây. Trung tâm lưu toàn bộ tệp hoặc không lưu gì, và liệt kê những chỗ cần sửa theo dòng và cột.',
    'upload.template': 'Mẫu:', 'upload.yearly': 'Hằng năm', 'upload.file': 'Tệp CSV', 'upload.encoding': 'Đã lưu dạng',
    'upload.utf8': 'CSV UTF-8 (khuyến nghị)', 'upload.send': 'Gửi về trung tâm',
    'upload.stored': 'Đã lưu: {visits} lần khám ({created} bản ghi mới, {existing} đã có).',
    'upload.refused': 'Chưa lưu gì. Hãy sửa các lỗi sau rồi gửi lại tệp:', 'col.line': 'Dòng',
    'col.where': 'Vị trí', 'col.problem': 'Vấn đề',
    'hub.automatic': 'trung tâm (tự động)',
    'patients.more': 'Chỉ hiện 50 người đầu: gõ thêm tên hoặc mã để thu hẹp.',
    'app.title': 'Theo dõi CAR-T', 'app.loading': 'Đang tải…', 'nav.patients': 'Bệnh nhân', 'nav.overdue': 'Quá hạn theo dõi',
    'nav.trace': 'Truy vết lô', 'nav.calculator': 'Tính độ', 'nav.language': 'Ngôn ngữ', 'nav.logout': 'Đăng xuất',
    'patients.title': 'Bệnh nhân', 'patients.search': 'Tên, mã hồ sơ, CRID hoặc số lô', 'patients.find': 'Tìm',
    'patients.none': 'Không tìm thấy bệnh nhân.', 'col.name': 'Họ tên', 'col.identifiers': 'Mã định danh', 'col.site': 'Cơ sở',
    'col.birthDate': 'Ngày sinh', 'col.flags': 'Cảnh báo', 'flag.overdue': 'quá hạn tái khám', 'flag.severe': 'độ ≥ 3 trong 30 ngày',
    'flag.review': 'cần xem lại độ', 'flag.malignancy': 'việc về ung thư mới', 'flag.consent': 'đã đồng ý',
    'flag.noConsent': 'chưa đồng ý', 'patient.infusion': 'Truyền (ngày 0)', 'patient.timeline': 'CRS và ICANS, ngày sau truyền',
    'patient.episodes': 'Đợt', 'patient.labs': 'Xét nghiệm', 'patient.visits': 'Lần tái khám', 'patient.status': 'Đáp ứng và sống còn',
    'patient.malignancies': 'Ung thư mới', 'patient.report': 'Báo cáo tái khám', 'col.toxicity': 'Độc tính',
    'col.onset': 'Khởi phát', 'col.resolution': 'Hết', 'col.statedGrade': 'Độ cao nhất (báo cáo)',
    'col.assessedGrade': 'Độ theo đánh giá', 'col.treatment': 'Điều trị', 'col.recordedBy': 'Nơi ghi', 'col.day': 'Ngày',
    'col.date': 'Ngày', 'col.visit': 'Lần khám', 'col.window': 'Khoảng', 'col.status': 'Trạng thái', 'col.daysOverdue': 'Số ngày quá hạn',
    'col.value': 'Giá trị', 'col.what': 'Mục', 'col.patient': 'Bệnh nhân', 'col.events': 'Biến cố sau truyền',
    'mismatch': 'độ báo cáo khác với đánh giá', 'noInfusion': 'Chưa có lần truyền CAR-T.', 'status.done': 'đã khám',
    'status.due': 'đến hạn', 'status.overdue': 'quá hạn', 'status.upcoming': 'sắp tới', 'overdue.title': 'Quá hạn theo dõi',
    'overdue.asOf': 'Tính đến', 'overdue.show': 'Xem', 'overdue.csv': 'Tải CSV', 'overdue.none': 'Không có lần khám quá hạn.',
    'print': 'In', 'trace.title': 'Truy vết lô', 'trace.lot': 'Số lô', 'trace.coi': 'hoặc chuỗi định danh', 'trace.find': 'Truy vết',
    'trace.products': 'Sản phẩm tìm thấy', 'trace.recipients': 'Người nhận', 'calc.title': 'Tính độ ASTCT', 'calc.crs': 'CRS',
    'calc.icans': 'ICANS', 'calc.grade': 'Độ', 'calc.range': 'Khoảng có thể', 'calc.flags': 'Cần bác sĩ quyết định',
    'calc.drivers': 'Dựa trên', 'form.title': 'Lần tái khám', 'form.timepoint': 'Mốc', 'form.date': 'Ngày khám',
    'form.survival': 'Tình trạng sống', 'form.deathDate': 'Ngày tử vong', 'form.response': 'Đáp ứng bệnh',
    'form.responseMethod': 'Phương pháp', 'form.labs': 'Xét nghiệm', 'form.malignancy': 'Ung thư mới', 'form.malignancyText': 'Chẩn đoán',
    'form.malignancyDate': 'Ngày chẩn đoán', 'form.persistence': 'Tồn tại CAR-T', 'form.persistenceMethod': 'Phương pháp',
    'form.infections': 'Nhiễm trùng từ lần khám trước', 'form.hospitalisations': 'Nhập viện từ lần khám trước',
    'form.submit': 'Gửi về trung tâm', 'form.sent': 'Đã gửi: trung tâm đã lưu lần khám.', 'form.failed': 'Chưa lưu:',
    'form.draft': 'Bản nháp được giữ trong trình duyệt đến khi gửi.', 'none': '—', 'yes': 'có', 'no': 'không',
    'notFound': 'Không tìm thấy.', 'login.failed': 'Đăng nhập thất bại', 'login.again': 'Đăng nhập lại',
  },
  ms: {
    'nav.upload': 'Muat naik lawatan', 'upload.title': 'Muat naik lawatan susulan (hamparan)',
    'upload.help': 'Muat turun templat sesuatu titik masa, isi satu baris bagi setiap pesakit dalam Excel, simpan sebagai CSV dan hantar di sini. Hab menyimpan seluruh fail atau tiada langsung, dan menyenaraikan perkara yang perlu dibetulkan mengikut baris dan lajur.',
    'upload.template': 'Templat:', 'upload.yearly': 'Tahunan', 'upload.file': 'Fail CSV', 'upload.encoding': 'Disimpan sebagai',
    'upload.utf8': 'CSV UTF-8 (disyorkan)', 'upload.send': 'Hantar ke hab',
    'upload.stored': 'Disimpan: {visits} lawatan ({created} rekod baharu, {existing} sedia ada).',
    'upload.refused': 'Tiada apa-apa disimpan. Betulkan perkara ini dan hantar fail sekali lagi:', 'col.line': 'Baris',
    'col.where': 'Lokasi', 'col.problem': 'Masalah',
    'hub.automatic': 'hab (automatik)',
    'patients.more': '50 yang pertama dipaparkan: taip lebih banyak nama atau pengenalan untuk menapis.',
    'app.title': 'Susulan CAR-T', 'app.loading': 'Memuatkan…', 'nav.patients': 'Pesakit', 'nav.overdue': 'Susulan tertunggak',
    'nav.trace': 'Jejak lot', 'nav.calculator': 'Kalkulator gred', 'nav.language': 'Bahasa', 'nav.logout': 'Log keluar',
    'patients.title': 'Pesakit', 'patients.search': 'Nama, MRN, CRID atau lot produk', 'patients.find': 'Cari',
    'patients.none': 'Tiada pesakit dijumpai.', 'col.name': 'Nama', 'col.identifiers': 'Pengenalan', 'col.site': 'Tapak',
    'col.birthDate': 'Tarikh lahir', 'col.flags': 'Amaran', 'flag.overdue': 'lawatan tertunggak', 'flag.severe': 'gred ≥ 3 dalam 30 hari',
    'flag.review': 'semakan gred', 'flag.malignancy': 'tugas malignansi terbuka', 'flag.consent': 'persetujuan',
    'flag.noConsent': 'tiada persetujuan', 'patient.infusion': 'Infusi (hari 0)', 'patient.timeline': 'CRS dan ICANS, hari selepas infusi',
    'patient.episodes': 'Episod', 'patient.labs': 'Makmal', 'patient.visits': 'Lawatan susulan', 'patient.status': 'Respons dan kemandirian',
    'patient.malignancies': 'Malignansi baharu', 'patient.report': 'Lapor lawatan susulan', 'col.toxicity': 'Ketoksikan',
    'col.onset': 'Mula', 'col.resolution': 'Pulih', 'col.statedGrade': 'Gred tertinggi (dilapor)', 'col.assessedGrade': 'Gred disokong penilaian',
    'col.treatment': 'Rawatan', 'col.recordedBy': 'Direkod oleh', 'col.day': 'Hari', 'col.date': 'Tarikh', 'col.visit': 'Lawatan',
    'col.window': 'Tetingkap', 'col.status': 'Status', 'col.daysOverdue': 'Hari tertunggak', 'col.value': 'Nilai', 'col.what': 'Perkara',
    'col.patient': 'Pesakit', 'col.events': 'Peristiwa sejak infusi', 'mismatch': 'gred dilapor berbeza daripada penilaian',
    'noInfusion': 'Tiada infusi CAR-T direkod.', 'status.done': 'selesai', 'status.due': 'perlu', 'status.overdue': 'tertunggak',
    'status.upcoming': 'akan datang', 'overdue.title': 'Susulan tertunggak', 'overdue.asOf': 'Pada', 'overdue.show': 'Papar',
    'overdue.csv': 'Muat turun CSV', 'overdue.none': 'Tiada yang tertunggak.', 'print': 'Cetak', 'trace.title': 'Jejak lot',
    'trace.lot': 'Nombor lot', 'trace.coi': 'atau rantai identiti', 'trace.find': 'Jejak', 'trace.products': 'Produk dijumpai',
    'trace.recipients': 'Penerima', 'calc.title': 'Kalkulator gred ASTCT', 'calc.crs': 'CRS', 'calc.icans': 'ICANS', 'calc.grade': 'Gred',
    'calc.range': 'Julat mungkin', 'calc.flags': 'Perlu keputusan klinikal', 'calc.drivers': 'Berdasarkan', 'form.title': 'Lawatan susulan',
    'form.timepoint': 'Lawatan', 'form.date': 'Tarikh lawatan', 'form.survival': 'Status kemandirian', 'form.deathDate': 'Tarikh kematian',
    'form.response': 'Respons penyakit', 'form.responseMethod': 'Kaedah', 'form.labs': 'Makmal', 'form.malignancy': 'Malignansi baharu',
    'form.malignancyText': 'Diagnosis', 'form.malignancyDate': 'Tarikh diagnosis', 'form.persistence': 'Kegigihan CAR-T',
    'form.persistenceMethod': 'Kaedah', 'form.infections': 'Jangkitan sejak lawatan lepas', 'form.hospitalisations': 'Kemasukan wad sejak lawatan lepas',
    'form.submit': 'Hantar ke hab', 'form.sent': 'Dihantar: hab telah menyimpan lawatan ini.', 'form.failed': 'Tidak disimpan:',
    'form.draft': 'Draf disimpan dalam pelayar ini sehingga dihantar.', 'none': '—', 'yes': 'ya', 'no': 'tidak',
    'notFound': 'Tidak dijumpai.', 'login.failed': 'Log masuk gagal', 'login.again': 'Log masuk semula',
  },
};

let language = 'en';

export function setLanguage(code) {
  language = LABELS[code] ? code : 'en';
  localStorage.setItem('cart.language', language);
  document.documentElement.lang = language;
  document.querySelectorAll('[data-i18n]').forEach(element => { element.textContent = t(element.dataset.i18n); });
}

export const currentLanguage = () => language;
export const t = key => LABELS[language][key] ?? LABELS.en[key] ?? key;

const displays = new Map();

/** The display of a code in the current language (the CodeSystem's designation), else the code itself. */
export async function display(system, code) {
  if (!system || !code) return code ?? '';
  const key = language + '|' + system + '|' + code;
  if (!displays.has(key)) {
    displays.set(key, fhir('CodeSystem/$lookup?' + new URLSearchParams({ system, code, displayLanguage: language }))
      .then(result => {
        const designation = params(result, 'designation')
          .find(d => value((d.part || []).find(p => p.name === 'language')) === language);
        const text = designation ? value((designation.part || []).find(p => p.name === 'value')) : undefined;
        return text || value(params(result, 'display')[0]) || code;
      })
      .catch(() => code));
  }
  return displays.get(key);
}
