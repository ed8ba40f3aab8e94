// The figures the office is judged by: management reports for the head, admin and auditor, the
// complaints that low survey scores open, and the public transparency page. The period, year
// and page numbers live in the URL, so a reload or a shared link shows the same view.
import { api, saveFile, session } from "../api.js";
import { addStrings, lang, named, number, rupiah, t, when } from "../i18n.js";
import { go, route } from "../router.js";
import { clearProblem, field, h, helpLink, row, showProblem, toast } from "../ui.js";
import { busy, officerGate, pager, problemAt, safely, scrollTable } from "./officer.js";

addStrings({
  id: {
    "rep.title": "Laporan Kinerja Layanan", "rep.lead": "Angka layanan perizinan pada periode yang Anda pilih. Hari dihitung sebagai hari kerja jam layanan (jeda saat berkas menunggu pemohon tidak dihitung).",
    "rep.from": "Dari tanggal", "rep.to": "Sampai tanggal", "rep.show": "Tampilkan", "rep.period": "Periode {from} – {to}",
    "rep.fix": "Ada isian yang perlu diperbaiki.", "rep.bad_date": "Isi tanggal dengan benar.", "rep.order": "Tanggal akhir tidak boleh sebelum tanggal awal.",
    "rep.contents": "Isi laporan", "rep.csv": "Unduh CSV", "rep.csv_named": "Unduh CSV {section}", "rep.downloaded": "Berkas CSV diunduh.",
    "rep.chart_note": "Grafik {title}. Angka lengkapnya ada pada tabel di bawah grafik.", "rep.target": "Target {value}",
    "rep.none": "Belum ada data pada periode ini.", "rep.total": "Jumlah", "rep.permit": "Jenis izin",
    "rep.volume": "Volume permohonan", "rep.volume.month": "Permohonan per bulan", "rep.submitted": "Diajukan",
    "rep.issued": "Terbit", "rep.rejected": "Ditolak", "rep.withdrawn": "Dibatalkan", "rep.open": "Masih diproses",
    "rep.stages": "Waktu per tahap", "rep.stages.lead": "Berkas yang selesai pada periode ini: median dan persentil ke-90 lama berkas di setiap tahap.",
    "rep.stage": "Tahap", "rep.files": "Berkas", "rep.median": "Median (hari kerja)", "rep.p90": "Persentil ke-90 (hari kerja)",
    "rep.median_short": "Median", "rep.p90_short": "Persentil ke-90", "rep.end_to_end": "Seluruh proses",
    "rep.sla": "Kepatuhan SLA", "rep.sla.lead": "Berkas yang selesai pada periode ini dan selesai dalam batas waktu layanannya.",
    "rep.sla_days": "SLA (hari kerja)", "rep.finished": "Selesai", "rep.on_time": "Tepat waktu", "rep.compliance": "Kepatuhan",
    "rep.backlog": "Berkas menunggu", "rep.backlog.lead": "Keadaan saat ini ({date}). Berkas dihitung pada petugas yang terakhir menanganinya di tahapnya sekarang.",
    "rep.role": "Peran", "rep.warning": "Mendekati batas", "rep.breached": "Melewati batas", "rep.oldest": "Terlama (hari kerja)",
    "rep.officer": "Petugas", "rep.unassigned": "Belum ditangani", "rep.nothing_waiting": "Tidak ada berkas yang menunggu petugas.", "rep.by_role": "Per peran", "rep.by_officer": "Per petugas",
    "rep.revenue": "Penerimaan retribusi", "rep.revenue.lead": "Pembayaran yang diterima pada periode ini.",
    "rep.payments": "Pembayaran", "rep.amount": "Jumlah (Rp)", "rep.bank": "Bank", "rep.by_type": "Per jenis izin", "rep.by_bank": "Per bank",
    "rep.ikm": "Indeks Kepuasan Masyarakat (IKM)", "rep.ikm.lead": "Survei yang diisi pemohon pada periode ini (PermenPANRB 14/2017). IKM = rata-rata nilai unsur × 25. Pemohon puas bila rata-rata nilainya paling sedikit 3.",
    "rep.ikm.value": "IKM", "rep.band": "Mutu", "rep.respondents": "Responden", "rep.satisfied": "Puas",
    "rep.elements": "Nilai per unsur (1–4)", "rep.element": "Unsur", "rep.score": "Nilai rata-rata",
    "rep.complaints": "Pengaduan: {opened} dibuka, {answered} dijawab.", "rep.complaints.link": "Lihat pengaduan",
    "rep.days": "{days} hari kerja", "rep.of4": "{score} dari 4",
    "tr.title": "Transparansi Kinerja Layanan", "tr.lead": "Capaian kantor terhadap janji layanannya, dari data permohonan yang sebenarnya. Tidak ada data pribadi pada halaman ini.",
    "tr.year": "Tahun", "tr.show": "Tampilkan", "tr.period": "Data {from} – {to}",
    "tr.targets": "Target dan capaian", "tr.met": "Tercapai", "tr.not_met": "Belum tercapai", "tr.no_data": "Belum ada data",
    "tr.time": "Waktu proses izin", "tr.time_chart": "Waktu proses izin (hari kerja, median)", "tr.time.target": "Target: paling lama {target} hari kerja (sebelumnya {baseline} hari kerja).",
    "tr.time.actual": "Median {median} · 90% berkas selesai dalam {p90} · dari {files} berkas yang selesai",
    "tr.baseline": "Sebelumnya", "tr.goal": "Target", "tr.actual": "Capaian {year}",
    "tr.satisfaction": "Kepuasan pemohon", "tr.satisfaction.target": "Target: paling sedikit {target}% pemohon puas.",
    "tr.satisfaction.actual": "{percent} puas · IKM {ikm} ({band}) · {respondents} responden",
    "tr.summary": "Ringkasan tahun {year}", "tr.sla": "Selesai tepat waktu (SLA)", "tr.sla_value": "{percent} dari {finished} berkas",
    "tr.month": "Bulan", "tr.by_month": "Per bulan", "tr.median_month": "Median waktu proses per bulan (hari kerja)",
    "tr.volume_month": "Permohonan per bulan", "tr.by_type": "Per jenis izin",
    "tr.explain": "Hari kerja: Senin–Jumat di luar hari libur nasional dan cuti bersama; jam layanan berhenti saat berkas menunggu pemohon. Median: separuh berkas selesai lebih cepat dari angka ini. Puas: rata-rata nilai survei pemohon paling sedikit 3 dari 4.",
    "cp.title": "Pengaduan", "cp.lead": "Pengaduan dari survei kepuasan: nilai rendah atau komentar yang ditandai pemohon sebagai pengaduan. Jawaban dikirim ke pemohon dan tampil di halaman berkasnya.",
    "cp.open": "Belum dijawab", "cp.answered": "Sudah dijawab", "cp.none_open": "Tidak ada pengaduan yang menunggu jawaban.",
    "cp.none_answered": "Belum ada pengaduan yang dijawab.", "cp.file": "Buka berkas {receipt}",
    "cp.reason": "Alasan", "cp.reason.low_score": "Nilai survei rendah", "cp.reason.marked": "Ditandai pemohon sebagai pengaduan",
    "cp.comment": "Komentar pemohon", "cp.no_comment": "Tanpa komentar.", "cp.average": "Nilai rata-rata", "cp.opened": "Dibuka",
    "cp.answer": "Jawaban untuk pemohon", "cp.answer_hint": "Tulis dengan bahasa yang sopan dan jelas: apa yang terjadi dan apa yang dilakukan kantor.",
    "cp.send": "Kirim jawaban", "cp.sent": "Jawaban terkirim ke pemohon.", "cp.answered_by": "Dijawab {date} oleh {name}",
    "cp.empty": "Tuliskan jawabannya.", "cp.too_long": "Jawaban paling banyak 4000 karakter.",
    "cp.read_only": "Anda dapat membaca pengaduan; jawaban ditulis oleh loket atau kepala dinas.",
    "off.problem.complaint_answered": "Pengaduan ini sudah dijawab petugas lain. Muat ulang halaman.",
  },
  en: {
    "rep.title": "Service performance reports", "rep.lead": "The office's figures for the period you choose. Days are working days of the service clock (pauses while a file waits for the applicant do not count).",
    "rep.from": "From", "rep.to": "To", "rep.show": "Show", "rep.period": "Period {from} – {to}",
    "rep.fix": "Some fields need fixing.", "rep.bad_date": "Enter a valid date.", "rep.order": "The end date cannot be before the start date.",
    "rep.contents": "Contents", "rep.csv": "Download CSV", "rep.csv_named": "Download CSV {section}", "rep.downloaded": "CSV file downloaded.",
    "rep.chart_note": "Chart: {title}. The full figures are in the table below the chart.", "rep.target": "Target {value}",
    "rep.none": "No data in this period yet.", "rep.total": "Total", "rep.permit": "Permit type",
    "rep.volume": "Application volume", "rep.volume.month": "Applications per month", "rep.submitted": "Submitted",
    "rep.issued": "Issued", "rep.rejected": "Rejected", "rep.withdrawn": "Withdrawn", "rep.open": "In progress",
    "rep.stages": "Time per stage", "rep.stages.lead": "Files that finished in this period: median and 90th percentile of the time a file spent in each stage.",
    "rep.stage": "Stage", "rep.files": "Files", "rep.median": "Median (working days)", "rep.p90": "90th percentile (working days)",
    "rep.median_short": "Median", "rep.p90_short": "90th percentile", "rep.end_to_end": "End to end",
    "rep.sla": "SLA compliance", "rep.sla.lead": "Files that finished in this period and finished within their service time.",
    "rep.sla_days": "SLA (working days)", "rep.finished": "Finished", "rep.on_time": "On time", "rep.compliance": "Compliance",
    "rep.backlog": "Files waiting", "rep.backlog.lead": "As of now ({date}). A file counts for the officer who last acted on it in its current stage.",
    "rep.role": "Role", "rep.warning": "Near the deadline", "rep.breached": "Past the deadline", "rep.oldest": "Oldest (working days)",
    "rep.officer": "Officer", "rep.unassigned": "Not picked up yet", "rep.nothing_waiting": "No file is waiting for an officer.", "rep.by_role": "By role", "rep.by_officer": "By officer",
    "rep.revenue": "Fee revenue", "rep.revenue.lead": "Payments received in this period.",
    "rep.payments": "Payments", "rep.amount": "Amount (Rp)", "rep.bank": "Bank", "rep.by_type": "By permit type", "rep.by_bank": "By bank",
    "rep.ikm": "Community Satisfaction Index (IKM)", "rep.ikm.lead": "Surveys answered by applicants in this period (PermenPANRB 14/2017). IKM = mean element score × 25. An applicant is satisfied when their average score is at least 3.",
    "rep.ikm.value": "IKM", "rep.band": "Quality", "rep.respondents": "Respondents", "rep.satisfied": "Satisfied",
    "rep.elements": "Score per element (1–4)", "rep.element": "Element", "rep.score": "Mean score",
    "rep.complaints": "Complaints: {opened} opened, {answered} answered.", "rep.complaints.link": "See the complaints",
    "rep.days": "{days} working days", "rep.of4": "{score} of 4",
    "tr.title": "Service transparency", "tr.lead": "How the office does against its service promises, from its real files. This page holds no personal data.",
    "tr.year": "Year", "tr.show": "Show", "tr.period": "Data {from} – {to}",
    "tr.targets": "Targets and results", "tr.met": "Met", "tr.not_met": "Not met yet", "tr.no_data": "No data yet",
    "tr.time": "Permit processing time", "tr.time_chart": "Permit processing time (working days, median)", "tr.time.target": "Target: at most {target} working days (it used to be {baseline}).",
    "tr.time.actual": "Median {median} · 90% of files done within {p90} · of {files} finished files",
    "tr.baseline": "Before", "tr.goal": "Target", "tr.actual": "Result {year}",
    "tr.satisfaction": "Applicant satisfaction", "tr.satisfaction.target": "Target: at least {target}% of applicants satisfied.",
    "tr.satisfaction.actual": "{percent} satisfied · IKM {ikm} ({band}) · {respondents} respondents",
    "tr.summary": "{year} at a glance", "tr.sla": "Done on time (SLA)", "tr.sla_value": "{percent} of {finished} files",
    "tr.month": "Month", "tr.by_month": "By month", "tr.median_month": "Median processing time per month (working days)",
    "tr.volume_month": "Applications per month", "tr.by_type": "By permit type",
    "tr.explain": "Working days: Monday to Friday without national holidays and collective leave; the service clock stops while a file waits for the applicant. Median: half of the files finished faster than this. Satisfied: the applicant's average survey score is at least 3 of 4.",
    "cp.title": "Complaints", "cp.lead": "Complaints from the satisfaction survey: a low score, or a comment the applicant marked as a complaint. The answer goes to the applicant and shows on their file's page.",
    "cp.open": "Not answered yet", "cp.answered": "Answered", "cp.none_open": "No complaint is waiting for an answer.",
    "cp.none_answered": "No complaint answered yet.", "cp.file": "Open file {receipt}",
    "cp.reason": "Reason", "cp.reason.low_score": "Low survey score", "cp.reason.marked": "Marked as a complaint by the applicant",
    "cp.comment": "Applicant's comment", "cp.no_comment": "No comment.", "cp.average": "Average score", "cp.opened": "Opened",
    "cp.answer": "Answer to the applicant", "cp.answer_hint": "Write politely and clearly: what happened and what the office does about it.",
    "cp.send": "Send the answer", "cp.sent": "The answer was sent to the applicant.", "cp.answered_by": "Answered {date} by {name}",
    "cp.empty": "Write the answer.", "cp.too_long": "The answer can be at most 4000 characters.",
    "cp.read_only": "You can read complaints; the front desk or the head of office writes the answers.",
    "off.problem.complaint_answered": "Another officer has already answered this complaint. Reload the page.",
  },
});

const REPORT_ROLES = ["head", "admin", "auditor"];
const COMPLAINT_ROLES = ["head", "frontdesk", "admin", "auditor"];
const ANSWER_ROLES = ["head", "frontdesk"];
const BLUE = "#0b5cab";
const GREEN = "#1a7f37";
const INK = "#1b1f24";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

// --- small helpers ------------------------------------------------------------------------------

const blank = (value) => value === null || value === undefined;
const decimal = (value, digits = 1) => (blank(value) ? "–" : number(value, digits));
const percent = (value) => (blank(value) ? "–" : `${number(value)}%`);
const days = (value) => (blank(value) ? "–" : t("rep.days", { days: number(value) }));
const cell = (value) => h("td", { class: "off-num" }, value);
const totalRow = (label, ...values) => h("tr", {}, h("th", { scope: "row" }, label), values.map(cell));
const wib = (day) => when(`${day}T12:00:00+07:00`, false);
const locale = () => (lang() === "id" ? "id-ID" : "en-GB");

function bandBadge(band) {
  if (!band) return h("span", { class: "badge" }, "–");
  const tone = { A: "ok", B: "ok", C: "warn", D: "bad" }[band] || "";
  return h("span", { class: `badge ${tone}` }, `${band} · ${t(`ikm.band.${band}`)}`);
}

// "Jan", or "Jan 26" when the months span more than one year.
function monthLabels(months) {
  const years = new Set(months.map((month) => month.slice(0, 4)));
  const format = new Intl.DateTimeFormat(locale(), { month: "short", timeZone: "UTC", ...(years.size > 1 ? { year: "2-digit" } : {}) });
  return months.map((month) => format.format(new Date(`${month}-15T00:00:00Z`)));
}

// A table that scrolls sideways, or turns into labelled blocks on a phone (officer.js), with
// its totals as a footer labelled the same way.
function table(label, headers, rows, total = null) {
  const box = scrollTable(label, headers, rows, { stack: true });
  // A column of figures is aligned right, its heading too.
  const numeric = [...(rows[0]?.cells || [])].map((c) => c.classList.contains("off-num"));
  box.querySelectorAll("thead th").forEach((th, index) => numeric[index] && th.classList.add("off-num"));
  if (total) {
    [...total.cells].forEach((cell, index) => index > 0 && cell.setAttribute("data-label", headers[index]));
    box.querySelector("table").append(h("tfoot", {}, total));
  }
  return box;
}

// --- charts: inline SVG sized in percent, so the text keeps its size on a phone and a desk -------

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) if (!blank(value)) element.setAttribute(name, value);
  element.append(...children.flat(Infinity).filter((child) => !blank(child)));
  return element;
}

// The chart is a picture of the table under it: screen readers get its title and are sent on.
function chartBox(title, height, parts, series, target) {
  const legend = [...series.map((s) => h("span", { class: "rep-key" }, h("span", { class: "rep-swatch", style: `background: ${s.color}` }), s.label)),
    target ? h("span", { class: "rep-key" }, h("span", { class: "rep-swatch rep-target" }), target.label) : null];
  return h("figure", { class: "rep-figure" },
    svg("svg", { width: "100%", height, role: "img", "aria-label": t("rep.chart_note", { title }), class: "rep-chart" }, parts),
    h("figcaption", { class: "hint" }, h("strong", {}, title), series.length > 1 || target ? h("span", { class: "rep-legend" }, legend) : null));
}

const scale = (values, target) => Math.max(1e-9, ...values.filter((v) => !blank(v)), target?.value ?? 0);

// One row per item: its label, then a bar per series with its value written after it.
function barChart(title, items, { series, format = decimal, max = null, target = null }) {
  const top = max ?? scale(items.flatMap((item) => series.map((s) => item[s.key])), target);
  const rowHeight = 22 + series.length * 20;
  const width = (value) => `${(Math.max(0, value) / top) * 78}%`;
  // The target is marked beside each row's bars, not across the labels.
  const mark = (y) => (target ? svg("line", { x1: width(target.value), x2: width(target.value), y1: y + 19, y2: y + rowHeight - 1,
    stroke: INK, "stroke-width": 2, "stroke-dasharray": "4 3" }) : null);
  const parts = items.flatMap((item, index) => {
    const y = index * rowHeight;
    return [svg("text", { x: 0, y: y + 15, "font-size": 14, fill: INK }, item.label), mark(y),
      ...series.map((s, n) => {
        const value = item[s.key];
        const barY = y + 22 + n * 20;
        return [svg("rect", { x: 0, y: barY, width: blank(value) ? 0 : width(value), height: 14, rx: 2, fill: s.color },
          svg("title", {}, `${s.label}: ${format(value)}`)),
        svg("text", { x: blank(value) ? 0 : width(value), dx: 6, y: barY + 12, "font-size": 13, fill: INK }, format(value))];
      })];
  });
  return chartBox(title, items.length * rowHeight + 4, parts, series, target);
}

// Columns over time: one slot per month, a column per series; the largest value marked at the top.
function columnChart(title, months, { series, format = decimal, target = null }) {
  const top = scale(months.flatMap((month) => series.map((s) => month[s.key])), target);
  const plot = 160;
  const labels = monthLabels(months.map((month) => month.month));
  // At least six slots, so a year's first month is a column, not a wall.
  const slot = 100 / Math.max(6, months.length);
  const columnWidth = (slot * 0.8) / series.length;
  const heightOf = (value) => (blank(value) ? 0 : (Math.max(0, value) / top) * (plot - 20));
  const parts = [svg("text", { x: 0, y: 12, "font-size": 12, fill: INK }, format(top)),
    svg("line", { x1: 0, x2: "100%", y1: 20, y2: 20, stroke: "#d5dbe1" }),
    svg("line", { x1: 0, x2: "100%", y1: plot, y2: plot, stroke: INK })];
  months.forEach((month, index) => {
    series.forEach((s, n) => {
      const value = month[s.key];
      parts.push(svg("rect", { x: `${index * slot + slot * 0.1 + n * columnWidth}%`, y: plot - heightOf(value), width: `${columnWidth}%`,
        height: heightOf(value), fill: s.color }, svg("title", {}, `${labels[index]} · ${s.label}: ${format(value)}`)));
    });
    parts.push(svg("text", { x: `${index * slot + slot / 2}%`, y: plot + 16, "font-size": 12, "text-anchor": "middle", fill: INK }, labels[index]));
  });
  if (target) {
    const y = plot - heightOf(target.value);
    parts.push(svg("line", { x1: 0, x2: "100%", y1: y, y2: y, stroke: INK, "stroke-width": 2, "stroke-dasharray": "5 4" }));
  }
  return chartBox(title, plot + 22, parts, series, target);
}

// --- /reports: the management reports ------------------------------------------------------------

// A button that saves one section as CSV, and says next to itself why it could not.
function csvButton(section, title, period) {
  const box = h("div", { class: "actions" });
  const button = h("button", { type: "button", class: "secondary", "aria-label": t("rep.csv_named", { section: title }) }, t("rep.csv"));
  button.addEventListener("click", async () => {
    busy(box, true);
    clearProblem(box);
    try {
      await saveFile(`/reports/${section}?from=${period.from}&to=${period.to}&format=csv`, `laporan-${section}-${period.from}-${period.to}.csv`);
      toast(t("rep.downloaded"));
    } catch (error) {
      problemAt(box, error);
    } finally {
      busy(box, false);
    }
  });
  box.append(button);
  return box;
}

function reportSection(id, title, lead, csv, ...content) {
  return h("section", { class: "card", id: `rep-${id}`, "aria-labelledby": `rep-${id}-title` },
    h("h2", { id: `rep-${id}-title`, class: "off-flush", tabindex: "-1" }, title),
    lead ? h("p", { class: "hint" }, lead) : null,
    ...content, csv);
}

function volumeSection(volume, period) {
  const title = t("rep.volume");
  const headers = [t("rep.permit"), t("rep.submitted"), t("rep.issued"), t("rep.rejected"), t("rep.withdrawn"), t("rep.open")];
  const counts = (r) => [r.submitted, r.issued, r.rejected, r.withdrawn, r.open].map(String);
  return reportSection("volume", title, null, csvButton("volume", title, period),
    volume.by_month.length ? columnChart(t("rep.volume.month"), volume.by_month, { format: (v) => decimal(v, 0),
      series: [{ key: "submitted", label: t("rep.submitted"), color: BLUE }, { key: "issued", label: t("rep.issued"), color: GREEN }] }) : null,
    volume.rows.length
      ? table(title, headers, volume.rows.map((r) => h("tr", {}, h("td", {}, named(r, "permit_name")), counts(r).map(cell))),
        totalRow(t("rep.total"), ...counts(volume.total)))
      : h("p", { class: "hint" }, t("rep.none")));
}

function stagesSection(stages, period) {
  const title = t("rep.stages");
  const stageRows = stages.rows.map((r) => ({ ...r, label: t(`state.${r.stage}`) }));
  const line = (r) => [String(r.files), decimal(r.median_days), decimal(r.p90_days)];
  return reportSection("stages", title, t("rep.stages.lead"), csvButton("stage-times", title, period),
    stages.end_to_end.files ? barChart(t("rep.stages"), stageRows.filter((r) => r.files), { series: [
      { key: "median_days", label: t("rep.median_short"), color: BLUE }, { key: "p90_days", label: t("rep.p90_short"), color: GREEN }] }) : null,
    table(title, [t("rep.stage"), t("rep.files"), t("rep.median"), t("rep.p90")],
      stageRows.map((r) => h("tr", {}, h("td", {}, r.label), line(r).map(cell))),
      totalRow(t("rep.end_to_end"), ...line(stages.end_to_end))));
}

function slaSection(sla, period) {
  const title = t("rep.sla");
  const line = (r) => [String(r.finished), String(r.on_time), percent(r.compliance_percent)];
  const rows = sla.rows.map((r) => ({ ...r, label: named(r, "permit_name") }));
  return reportSection("sla", title, t("rep.sla.lead"), csvButton("sla", title, period),
    rows.some((r) => r.finished) ? barChart(title, rows.filter((r) => r.finished), { max: 100, format: percent,
      series: [{ key: "compliance_percent", label: t("rep.compliance"), color: BLUE }] }) : null,
    rows.length
      ? table(title, [t("rep.permit"), t("rep.sla_days"), t("rep.finished"), t("rep.on_time"), t("rep.compliance")],
        rows.map((r) => h("tr", {}, h("td", {}, r.label), cell(String(r.sla_days)), line(r).map(cell))),
        totalRow(t("rep.total"), "–", ...line(sla.total)))
      : h("p", { class: "hint" }, t("rep.none")));
}

function backlogSection(backlog, period) {
  const title = t("rep.backlog");
  const role = (name) => t(`off.role.${name}`);
  return reportSection("backlog", title, t("rep.backlog.lead", { date: when(backlog.as_of) }), csvButton("backlog", title, period),
    h("h3", {}, t("rep.by_role")),
    backlog.by_role.length
      ? table(t("rep.by_role"), [t("rep.role"), t("rep.open"), t("rep.warning"), t("rep.breached"), t("rep.oldest")],
        backlog.by_role.map((r) => h("tr", {}, h("td", {}, role(r.role)),
          [String(r.open), String(r.warning), String(r.breached), decimal(r.oldest_days)].map(cell))))
      : h("p", { class: "hint" }, t("rep.none")),
    h("h3", {}, t("rep.by_officer")),
    backlog.by_officer.length
      ? table(t("rep.by_officer"), [t("rep.officer"), t("rep.role"), t("rep.open")],
        backlog.by_officer.map((r) => h("tr", {}, h("td", {}, r.officer_id ? r.officer_name : h("em", {}, t("rep.unassigned"))),
          h("td", {}, role(r.role)), cell(String(r.open)))))
      : h("p", { class: "hint" }, t("rep.nothing_waiting")));
}

function revenueSection(revenue, period) {
  const title = t("rep.revenue");
  const money = (r) => [String(r.payments), rupiah(r.amount)];
  return reportSection("revenue", title, t("rep.revenue.lead"), csvButton("revenue", title, period),
    h("p", { class: "big" }, rupiah(revenue.total.amount)),
    h("h3", {}, t("rep.by_type")),
    revenue.by_permit_type.length
      ? table(t("rep.by_type"), [t("rep.permit"), t("rep.payments"), t("rep.amount")],
        revenue.by_permit_type.map((r) => h("tr", {}, h("td", {}, named(r, "permit_name")), money(r).map(cell))),
        totalRow(t("rep.total"), ...money(revenue.total)))
      : h("p", { class: "hint" }, t("rep.none")),
    h("h3", {}, t("rep.by_bank")),
    revenue.by_bank.length
      ? table(t("rep.by_bank"), [t("rep.bank"), t("rep.payments"), t("rep.amount")],
        revenue.by_bank.map((r) => h("tr", {}, h("td", {}, r.bank_name || r.bank), money(r).map(cell))),
        totalRow(t("rep.total"), ...money(revenue.total)))
      : h("p", { class: "hint" }, t("rep.none")));
}

function ikmSection(ikm, period) {
  const title = t("rep.ikm");
  const total = ikm.total;
  const elements = ikm.elements.map((key) => ({ label: t(`ikm.element.${key}`), score: total.element_scores?.[key] }));
  const line = (r) => [String(r.respondents), decimal(r.ikm, 2), percent(r.satisfied_percent)];
  return reportSection("ikm", title, t("rep.ikm.lead"), csvButton("ikm", "IKM", period),
    h("table", { class: "off-summary" }, h("tbody", {},
      row(t("rep.ikm.value"), h("span", { class: "big" }, decimal(total.ikm, 2)), " ", bandBadge(total.band)),
      row(t("rep.satisfied"), percent(total.satisfied_percent)),
      row(t("rep.respondents"), String(total.respondents)))),
    h("p", {}, t("rep.complaints", { opened: ikm.complaints.opened, answered: ikm.complaints.answered }), " ",
      h("a", { href: "/work/complaints", "data-link": true }, t("rep.complaints.link"))),
    total.respondents ? [
      barChart(t("rep.elements"), elements, { max: 4, format: (v) => decimal(v, 2), target: { value: 3, label: t("rep.target", { value: 3 }) },
        series: [{ key: "score", label: t("rep.score"), color: BLUE }] }),
      table(t("rep.elements"), [t("rep.element"), t("rep.score")],
        elements.map((e) => h("tr", {}, h("td", {}, e.label), cell(decimal(e.score, 2)))))] : null,
    h("h3", {}, t("rep.by_type")),
    ikm.rows.length
      ? table(t("rep.ikm.value"), [t("rep.permit"), t("rep.respondents"), t("rep.ikm.value"), t("rep.satisfied"), t("rep.band")],
        ikm.rows.map((r) => h("tr", {}, h("td", {}, named(r, "permit_name")), line(r).map(cell), h("td", {}, bandBadge(r.band)))),
        h("tr", {}, h("th", { scope: "row" }, t("rep.total")), line(total).map(cell), h("td", {}, bandBadge(total.band))))
      : h("p", { class: "hint" }, t("rep.none")));
}

const SECTIONS = [["volume", "rep.volume"], ["stages", "rep.stages"], ["sla", "rep.sla"], ["backlog", "rep.backlog"],
  ["revenue", "rep.revenue"], ["ikm", "rep.ikm"]];

// Buttons, not #fragment links: a fragment would make the router draw the page again.
function contents() {
  const jump = (id) => () => {
    const heading = document.getElementById(`rep-${id}-title`);
    heading.scrollIntoView({ block: "start" });
    heading.focus();
  };
  return h("nav", { class: "actions", "aria-label": t("rep.contents") },
    SECTIONS.map(([id, key]) => h("button", { type: "button", class: "secondary", onclick: jump(id) }, t(key))));
}

function periodForm(from, to) {
  const form = h("form", { class: "card actions off-filter", novalidate: true },
    h("div", { class: "off-grow" }, field("from", t("rep.from"), { type: "date", value: from, required: true })),
    h("div", { class: "off-grow" }, field("to", t("rep.to"), { type: "date", value: to, required: true })),
    h("button", { type: "submit" }, t("rep.show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = { from: form.elements.from.value, to: form.elements.to.value };
    const errors = periodErrors(chosen);
    if (errors.length) return showProblem(form, { message: t("rep.fix"), fieldErrors: () => Object.fromEntries(errors) });
    go(`/reports?from=${chosen.from}&to=${chosen.to}`);
  });
  return form;
}

function periodErrors({ from, to }) {
  const errors = [];
  if (!DAY.test(from || "")) errors.push(["from", t("rep.bad_date")]);
  if (!DAY.test(to || "")) errors.push(["to", t("rep.bad_date")]);
  if (!errors.length && from > to) errors.push(["to", t("rep.order")]);
  return errors;
}

route("/reports", safely(async (params, query) => {
  const blocked = await officerGate(REPORT_ROLES);
  if (blocked) return blocked;
  const asked = { from: query.get("from") || "", to: query.get("to") || "" };
  const heading = [h("h1", {}, t("rep.title"), " ", helpLink("petugas-head#laporan", t("rep.title"))), h("p", {}, t("rep.lead"))];
  // No period in the URL: the server's default (1 January to today, WIB).
  const chosen = asked.from || asked.to;
  if (chosen && periodErrors(asked).length) {
    const form = periodForm(asked.from, asked.to);
    showProblem(form, { message: t("rep.fix"), fieldErrors: () => Object.fromEntries(periodErrors(asked)) });
    return h("section", {}, ...heading, form);
  }
  let summary;
  try {
    summary = await api("GET", `/reports/summary${chosen ? `?from=${asked.from}&to=${asked.to}` : ""}`);
  } catch (error) {
    if (error.status !== 422) throw error;
    const form = periodForm(asked.from, asked.to);
    problemAt(form, error);
    return h("section", {}, ...heading, form);
  }
  const period = { from: summary.from, to: summary.to };
  return h("section", {}, ...heading, periodForm(period.from, period.to),
    h("p", { class: "notice", role: "status" }, t("rep.period", { from: wib(period.from), to: wib(period.to) })),
    contents(),
    volumeSection(summary.volume, period), stagesSection(summary["stage-times"], period), slaSection(summary.sla, period),
    backlogSection(summary.backlog, period), revenueSection(summary.revenue, period), ikmSection(summary.ikm, period));
}));

function answerForm(complaint) {
  const form = h("form", { novalidate: true, class: "off-gap" },
    field("answer", t("cp.answer"), { tag: "textarea", rows: 4, maxlength: 4000, required: true, "aria-required": "true" }, t("cp.answer_hint")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("cp.send"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    const answer = form.elements.answer.value.trim();
    const wrong = !answer ? t("cp.empty") : answer.length > 4000 ? t("cp.too_long") : null;
    if (wrong) return showProblem(form, { message: t("rep.fix"), fieldErrors: () => ({ answer: wrong }) });
    busy(form, true);
    try {
      await api("POST", `/complaints/${encodeURIComponent(complaint.application_id)}/answer`, { answer });
      toast(t("cp.sent"));
      await go(location.pathname + location.search, true);
    } catch (error) {
      busy(form, false);
      problemAt(form, error);
    }
  });
  return form;
}

function complaintCard(complaint, canAnswer) {
  const id = `complaint-${complaint.application_id}`;
  return h("article", { class: "card", "aria-labelledby": id, "data-receipt": complaint.receipt_number },
    h("h3", { id, class: "off-flush" },
      h("a", { href: `/work/applications/${encodeURIComponent(complaint.application_id)}`, "data-link": true, class: "mono",
        "aria-label": t("cp.file", { receipt: complaint.receipt_number }) }, complaint.receipt_number)),
    h("p", { class: "off-meta" }, named(complaint, "permit_name")),
    h("table", {}, h("tbody", {},
      row(t("cp.reason"), h("span", { class: "badge warn" }, t(`cp.reason.${complaint.reason}`))),
      row(t("cp.average"), t("rep.of4", { score: decimal(complaint.average, 2) })),
      row(t("cp.opened"), when(complaint.opened_at)),
      row(t("cp.comment"), complaint.comment ? h("span", { class: "off-pre" }, complaint.comment) : h("span", { class: "hint" }, t("cp.no_comment"))),
      complaint.status === "answered" ? row(t("cp.answer"), h("div", { class: "off-pre" }, complaint.answer),
        h("div", { class: "hint" }, t("cp.answered_by", { date: when(complaint.answered_at), name: complaint.answered_by_name || "–" }))) : null)),
    complaint.status === "open" && canAnswer ? answerForm(complaint) : null);
}

route("/work/complaints", safely(async (params, query) => {
  const blocked = await officerGate(COMPLAINT_ROLES);
  if (blocked) return blocked;
  const canAnswer = ANSWER_ROLES.some((role) => session.has(role));
  const pageOf = (status) => Math.max(1, Number(query.get(`${status}_page`)) || 1);
  const [open, answered] = await Promise.all(["open", "answered"].map((status) =>
    api("GET", `/complaints?status=${status}&page=${pageOf(status)}&per_page=20`)));
  const list = (status, page, none) => h("section", { "aria-labelledby": `cp-${status}` },
    h("h2", { id: `cp-${status}` }, t(`cp.${status}`), ` (${page.total})`),
    page.items.length ? page.items.map((complaint) => complaintCard(complaint, canAnswer)) : h("p", { class: "hint" }, t(none)),
    pager(query, page, `${status}_page`));
  return h("section", {}, h("h1", {}, t("cp.title"), " ", helpLink("petugas#pengaduan", t("cp.title"))), h("p", {}, t("cp.lead")),
    canAnswer ? null : h("p", { class: "notice" }, t("cp.read_only")),
    list("open", open, "cp.none_open"), list("answered", answered, "cp.none_answered"));
}));

// --- /transparansi: the public page ---------------------------------------------------------------

function metBadge(meets) {
  if (blank(meets)) return h("span", { class: "badge" }, t("tr.no_data"));
  return h("span", { class: `badge ${meets ? "ok" : "bad"}` }, meets ? `✓ ${t("tr.met")}` : `✗ ${t("tr.not_met")}`);
}

function targetCard(id, title, meets, lead, actual, chart) {
  return h("section", { class: "card", "aria-labelledby": id },
    h("h3", { id, class: "off-flush" }, title),
    h("p", { class: "big" }, metBadge(meets)),
    h("p", {}, lead), h("p", {}, h("strong", {}, actual)), chart);
}

function targets(stats) {
  const { processing, satisfaction, targets: goal } = stats;
  const year = stats.year;
  const time = targetCard("tr-time", t("tr.time"), processing.meets_target,
    t("tr.time.target", { target: goal.processing_days, baseline: goal.baseline_days }),
    t("tr.time.actual", { median: days(processing.median_days), p90: days(processing.p90_days), files: processing.files }),
    barChart(t("tr.time_chart"), [{ label: t("tr.baseline"), value: goal.baseline_days }, { label: t("tr.goal"), value: goal.processing_days },
      { label: t("tr.actual", { year }), value: processing.median_days }], { series: [{ key: "value", label: t("rep.median_short"), color: BLUE }] }));
  const satisfied = targetCard("tr-satisfaction", t("tr.satisfaction"), satisfaction.meets_target,
    t("tr.satisfaction.target", { target: goal.satisfied_percent }),
    t("tr.satisfaction.actual", { percent: percent(satisfaction.satisfied_percent), ikm: decimal(satisfaction.ikm, 2),
      band: satisfaction.band ? t(`ikm.band.${satisfaction.band}`) : "–", respondents: satisfaction.respondents }),
    barChart(t("tr.satisfaction"), [{ label: t("tr.goal"), value: goal.satisfied_percent },
      { label: t("tr.actual", { year }), value: satisfaction.satisfied_percent }], { max: 100, format: percent,
      series: [{ key: "value", label: t("rep.satisfied"), color: GREEN }] }));
  return h("section", { "aria-labelledby": "tr-targets" }, h("h2", { id: "tr-targets" }, t("tr.targets")),
    h("div", { class: "grid two" }, time, satisfied));
}

function yearForm(year) {
  const now = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Jakarta", year: "numeric" }).format(new Date()));
  const years = Array.from({ length: 5 }, (_, index) => now - index);
  if (!years.includes(year)) years.push(year);
  const form = h("form", { class: "card actions off-filter" },
    h("div", { class: "off-grow" }, field("year", t("tr.year"), { tag: "select",
      options: years.map((y) => h("option", { value: y, selected: y === year }, String(y))) })),
    h("button", { type: "submit" }, t("tr.show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(`/transparansi?year=${form.elements.year.value}`);
  });
  return form;
}

route("/transparansi", async (params, query) => {
  const asked = /^\d{4}$/.test(query.get("year") || "") ? `?year=${query.get("year")}` : "";
  const stats = await api("GET", `/stats${asked}`);
  const { volume, sla } = stats;
  const months = stats.by_month;
  const monthNames = monthLabels(months.map((m) => m.month));
  return h("section", {},
    h("h1", {}, t("tr.title"), " ", helpLink("faq#transparansi", t("tr.title"))), h("p", {}, t("tr.lead")),
    yearForm(stats.year),
    h("p", { class: "hint" }, t("tr.period", { from: wib(stats.from), to: wib(stats.to) })),
    targets(stats),
    h("section", { class: "card", "aria-labelledby": "tr-summary" },
      h("h2", { id: "tr-summary", class: "off-flush" }, t("tr.summary", { year: stats.year })),
      h("table", { class: "off-summary" }, h("tbody", {},
        row(t("rep.submitted"), String(volume.submitted)), row(t("rep.issued"), String(volume.issued)),
        row(t("rep.rejected"), String(volume.rejected)), row(t("rep.open"), String(volume.open)),
        row(t("tr.sla"), t("tr.sla_value", { percent: percent(sla.compliance_percent), finished: sla.finished }))))),
    h("section", { class: "card", "aria-labelledby": "tr-months" },
      h("h2", { id: "tr-months", class: "off-flush" }, t("tr.by_month")),
      months.length ? [
        columnChart(t("tr.median_month"), months, { format: decimal,
          target: { value: stats.targets.processing_days, label: t("rep.target", { value: days(stats.targets.processing_days) }) },
          series: [{ key: "median_days", label: t("rep.median_short"), color: BLUE }] }),
        columnChart(t("tr.volume_month"), months, { format: (v) => decimal(v, 0),
          series: [{ key: "submitted", label: t("rep.submitted"), color: BLUE }, { key: "issued", label: t("rep.issued"), color: GREEN }] }),
        table(t("tr.by_month"), [t("tr.month"), t("rep.submitted"), t("rep.issued"), t("rep.median")],
          months.map((m, index) => h("tr", {}, h("td", {}, monthNames[index]),
            [String(m.submitted), String(m.issued), decimal(m.median_days)].map(cell))))]
        : h("p", { class: "hint" }, t("rep.none"))),
    h("section", { class: "card", "aria-labelledby": "tr-types" },
      h("h2", { id: "tr-types", class: "off-flush" }, t("tr.by_type")),
      stats.by_permit_type.length
        ? table(t("tr.by_type"), [t("rep.permit"), t("rep.submitted"), t("rep.issued"), t("rep.median"), t("rep.ikm.value"), t("rep.satisfied")],
          stats.by_permit_type.map((r) => h("tr", {}, h("td", {}, named(r, "permit_name")),
            [String(r.submitted), String(r.issued), decimal(r.median_days), decimal(r.ikm, 2), percent(r.satisfied_percent)].map(cell))))
        : h("p", { class: "hint" }, t("rep.none"))),
    h("p", { class: "hint" }, t("tr.explain")));
});
