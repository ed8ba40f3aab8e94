// /work/integration: the OSS RBA integration for admins and auditors — the circuit, the last
// sync, the status reports pending, sent and failed, the ones in trouble, and a replay button.
import { api, session } from "../api.js";
import { addStrings, t, when } from "../i18n.js";
import { go, route } from "../router.js";
import { h, helpLink, row, shown, toast } from "../ui.js";
import { busy, officerGate, problemAt, safely, scrollTable } from "./officer.js";

addStrings({
  id: {
    "oss.title": "Integrasi OSS RBA",
    "oss.lead": "Status izin dilaporkan ke sistem OSS nasional. Saat OSS tidak dapat dihubungi, laporan menunggu dan dikirim kemudian; tidak ada yang hilang.",
    "oss.endpoint": "Alamat OSS", "oss.circuit": "Sambungan",
    "oss.circuit.closed": "normal", "oss.circuit.open": "terputus (OSS tidak dipanggil sementara)", "oss.circuit.half-open": "mencoba kembali",
    "oss.last_sync": "Sinkron terakhir", "oss.never": "Belum pernah", "oss.last_error": "Galat terakhir",
    "oss.pending": "Menunggu", "oss.sent": "Terkirim", "oss.failed": "Gagal",
    "oss.troubles": "Laporan bermasalah", "oss.none": "Tidak ada laporan bermasalah.",
    "oss.col.receipt": "Nomor tanda terima", "oss.col.status": "Status OSS", "oss.col.state": "Keadaan",
    "oss.col.attempts": "Percobaan", "oss.col.error": "Galat", "oss.col.when": "Terakhir dicoba",
    "oss.replay": "Kirim ulang sekarang", "oss.replayed": "{count} laporan dijadwalkan ulang.",
  },
  en: {
    "oss.title": "OSS RBA integration",
    "oss.lead": "Permit statuses are reported to the national OSS system. While OSS cannot be reached, reports wait and go later; nothing is lost.",
    "oss.endpoint": "OSS address", "oss.circuit": "Connection",
    "oss.circuit.closed": "normal", "oss.circuit.open": "broken (OSS is not called for a while)", "oss.circuit.half-open": "trying again",
    "oss.last_sync": "Last sync", "oss.never": "Never", "oss.last_error": "Last error",
    "oss.pending": "Pending", "oss.sent": "Sent", "oss.failed": "Failed",
    "oss.troubles": "Reports in trouble", "oss.none": "No report in trouble.",
    "oss.col.receipt": "Receipt number", "oss.col.status": "OSS status", "oss.col.state": "State",
    "oss.col.attempts": "Attempts", "oss.col.error": "Error", "oss.col.when": "Last tried",
    "oss.replay": "Send again now", "oss.replayed": "{count} reports due again.",
  },
});

const STATES = { pending: "oss.pending", sent: "oss.sent", failed: "oss.failed" };

function counts(status) {
  return h("ul", { class: "oss-counts", "aria-label": t("oss.title") },
    ["pending", "sent", "failed"].map((key) => h("li", { "data-count": key },
      h("strong", {}, String(status[key])), " ", t(STATES[key]))));
}

function troubles(reports) {
  if (!reports.length) return h("p", { class: "hint" }, t("oss.none"));
  return scrollTable(t("oss.troubles"),
    [t("oss.col.receipt"), t("oss.col.status"), t("oss.col.state"), t("oss.col.attempts"), t("oss.col.error"), t("oss.col.when")],
    reports.map((report) => h("tr", {},
      h("td", { class: "mono" }, report.receipt_number),
      h("td", {}, `${report.status_code} ${report.status_name}`),
      h("td", {}, t(STATES[report.status])),
      h("td", {}, String(report.attempts)),
      h("td", { class: "off-break" }, report.last_error || "–"),
      h("td", {}, report.last_attempt_at ? when(report.last_attempt_at) : "–"))),
    { stack: true });
}

function replayForm(status) {
  const form = h("form", { class: "off-gap" }, h("button", { type: "submit" }, t("oss.replay")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    busy(form, true);
    try {
      const { replayed } = await api("POST", "/integrations/oss/replay", {});
      toast(t("oss.replayed", { count: replayed }));
      go("/work/integration", true);
    } catch (error) {
      problemAt(form, error);
    } finally {
      busy(form, false);
    }
  });
  // Only an admin replays; an auditor reads.
  shown(form, session.has("admin") && (status.pending || status.failed));
  return form;
}

route("/work/integration", safely(async () => {
  const blocked = await officerGate(["admin", "auditor"]);
  if (blocked) return blocked;
  const status = await api("GET", "/integrations/oss");
  return h("section", {},
    h("h1", {}, t("oss.title"), " ", helpLink("admin#integrasi-oss", t("oss.title"))), h("p", {}, t("oss.lead")),
    h("section", { class: "card" },
      h("table", {}, h("tbody", {},
        row(t("oss.endpoint"), h("span", { class: "mono off-break" }, status.endpoint || "–")),
        row(t("oss.circuit"), h("span", { "data-circuit": status.circuit }, t(`oss.circuit.${status.circuit}`))),
        row(t("oss.last_sync"), status.last_sync_at ? when(status.last_sync_at) : t("oss.never")),
        row(t("oss.last_error"), status.last_error || "–"))),
      counts(status),
      replayForm(status)),
    h("h2", {}, t("oss.troubles")),
    troubles(status.failures));
}));
