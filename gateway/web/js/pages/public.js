// Pages for everyone, signed in or not: the catalogue, tracking by receipt, permit verification.
import { api } from "../api.js";
import { go, route } from "../app.js";
import { addStrings, named, t, when } from "../i18n.js";
import { field, h, helpLink, row, showProblem, stateBadge } from "../ui.js";

addStrings({
  id: {
    "catalogue.title": "Jenis Izin", "catalogue.lead": "Pilih izin yang Anda perlukan untuk melihat persyaratan, lama proses, dan biayanya.",
    "catalogue.sla": "Selesai dalam {days} hari kerja", "catalogue.requirements": "{count} dokumen persyaratan",
    "catalogue.survey": "dengan survei lapangan", "catalogue.apply": "Ajukan izin ini", "catalogue.detail": "Lihat persyaratan",
    "type.requirements": "Persyaratan", "type.optional": "tidak wajib", "type.files": "Berkas {types}, paling besar {size} MB",
    "type.legal": "Dasar hukum", "type.fee": "Biaya", "type.validity": "Masa berlaku", "type.months": "{months} bulan",
    "type.forever": "Selama memenuhi ketentuan",
    "track.title": "Lacak Berkas", "track.lead": "Masukkan nomor tanda terima yang Anda terima saat mengajukan permohonan.",
    "track.receipt": "Nomor tanda terima", "track.submit": "Lacak", "track.due": "Perkiraan selesai paling lambat {date}",
    "track.stages": "Tahapan", "track.notfound": "Nomor tanda terima tidak ditemukan. Periksa kembali penulisannya.",
    "verify.title": "Cek Keaslian Izin", "verify.lead": "Masukkan kode verifikasi yang tercetak di bawah kode QR pada surat izin.",
    "verify.code": "Kode verifikasi", "verify.submit": "Periksa",
    "verify.genuine": "Asli — tanda tangan elektronik kantor sah.", "verify.not_genuine": "Tidak dapat dipastikan asli: tanda tangan elektronik tidak cocok dengan dokumen yang tersimpan.",
    "verify.valid": "Izin berlaku", "verify.expired": "Masa berlaku izin sudah habis", "verify.suspended": "Izin sedang dibekukan",
    "verify.revoked": "Izin telah dicabut", "verify.holder": "Nama pemegang", "verify.permit": "Jenis izin",
    "verify.number": "Nomor izin", "verify.validity": "Masa berlaku", "verify.reason": "Alasan",
    "verify.notfound": "Tidak ada izin dengan kode verifikasi ini.",
  },
  en: {
    "catalogue.title": "Permits", "catalogue.lead": "Choose the permit you need to see its requirements, processing time and fee.",
    "catalogue.sla": "Done within {days} working days", "catalogue.requirements": "{count} required documents",
    "catalogue.survey": "with a field survey", "catalogue.apply": "Apply for this permit", "catalogue.detail": "See requirements",
    "type.requirements": "Requirements", "type.optional": "optional", "type.files": "{types} files, at most {size} MB",
    "type.legal": "Legal basis", "type.fee": "Fee", "type.validity": "Validity", "type.months": "{months} months",
    "type.forever": "As long as the conditions are met",
    "track.title": "Track a file", "track.lead": "Enter the receipt number you got when you applied.",
    "track.receipt": "Receipt number", "track.submit": "Track", "track.due": "Expected to be done by {date}",
    "track.stages": "Stages", "track.notfound": "No file has this receipt number. Please check how it is written.",
    "verify.title": "Verify a permit", "verify.lead": "Enter the verification code printed under the QR code on the permit.",
    "verify.code": "Verification code", "verify.submit": "Check",
    "verify.genuine": "Genuine — the office's electronic signature is valid.", "verify.not_genuine": "Cannot be confirmed genuine: the electronic signature does not match the stored document.",
    "verify.valid": "The permit is valid", "verify.expired": "The permit has expired", "verify.suspended": "The permit is suspended",
    "verify.revoked": "The permit has been revoked", "verify.holder": "Holder", "verify.permit": "Permit",
    "verify.number": "Permit number", "verify.validity": "Valid", "verify.reason": "Reason",
    "verify.notfound": "No permit has this verification code.",
  },
});


route("/", async () => {
  const { items } = await api("GET", "/permit-types");
  return h("section", {},
    h("h1", {}, t("catalogue.title"), " ", helpLink("cari-izin", t("catalogue.title"))),
    h("p", {}, t("catalogue.lead")),
    h("div", { class: "grid two" }, items.map((type) => h("article", { class: "card" },
      h("h2", {}, named(type, "name")),
      h("p", {}, named(type, "description")),
      h("p", { class: "hint" }, [t("catalogue.sla", { days: type.sla_working_days }),
        type.needs_survey ? `, ${t("catalogue.survey")}` : "", " · ",
        t("catalogue.requirements", { count: type.requirement_count }), " · ", named(type, "fee_summary")]),
      h("div", { class: "actions" },
        h("a", { class: "button", href: `/apply/${type.code}`, "data-link": true }, t("catalogue.apply")),
        h("a", { class: "button secondary", href: `/permit-types/${type.code}`, "data-link": true },
          t("catalogue.detail")))))));
});

route("/permit-types/:code", async ({ code }) => {
  const type = await api("GET", `/permit-types/${encodeURIComponent(code)}`);
  return h("section", {},
    h("h1", {}, named(type, "name")),
    h("p", {}, named(type, "description")),
    h("p", {}, h("strong", {}, t("type.fee") + ": "), named(type, "fee_summary")),
    h("p", {}, h("strong", {}, t("type.validity") + ": "),
      type.validity_months ? t("type.months", { months: type.validity_months }) : t("type.forever")),
    h("h2", {}, t("type.requirements"), " ", helpLink("dokumen", t("type.requirements"))),
    h("ol", {}, type.requirements.map((requirement) => h("li", {},
      h("strong", {}, named(requirement, "name")), requirement.required ? "" : ` (${t("type.optional")})`,
      h("div", {}, requirement.description),
      h("div", { class: "hint" }, t("type.files", {
        types: requirement.file_types.map((kind) => kind.toUpperCase()).join(", "), size: requirement.max_size_mb }))))),
    h("h2", {}, t("type.legal")),
    h("ul", {}, type.legal_basis.map((basis) => h("li", {}, basis))),
    h("div", { class: "actions" },
      h("a", { class: "button", href: `/apply/${type.code}`, "data-link": true }, t("catalogue.apply"))));
});

// A lookup page: a form, and the answer under it; the value lives in the URL so reloads work.
function lookup({ title, lead, label, name, value, path, show, notFound, help }) {
  const answer = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card", novalidate: true },
    field(name, t(label), { value: value || "", required: true, autocomplete: "off", class: "mono" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t(`${name}.submit`))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const entered = form.elements[name].value.trim();
    if (entered) go(`${path}/${encodeURIComponent(entered.toUpperCase())}`);
  });
  if (value) {
    api("GET", `${path}/${encodeURIComponent(value)}`).then((data) => answer.replaceChildren(show(data)))
      .catch((error) => {
        if (error.status === 404) answer.replaceChildren(h("div", { class: "problem", role: "alert" }, t(notFound)));
        else showProblem(form, error);
      });
  }
  return h("section", {}, h("h1", {}, t(title), " ", helpLink(help, t(title))), h("p", {}, t(lead)), form, answer);
}

function tracking(file) {
  return h("div", { class: "card" },
    h("p", { class: "big mono" }, file.receipt_number),
    h("p", {}, named(file, "permit_name"), " · ", stateBadge(file.state)),
    file.due_at ? h("p", { class: "notice" }, t("track.due", { date: when(file.due_at) })) : null,
    h("h2", {}, t("track.stages")),
    h("ol", { class: "timeline" }, file.stages.map((stage) =>
      h("li", {}, h("strong", {}, t(`state.${stage.state}`)), h("div", { class: "hint" }, when(stage.at))))));
}

function verification(permit) {
  const genuine = permit.genuine;
  return h("div", { class: "card" },
    h("p", { class: genuine ? "notice" : "problem", role: "status" }, t(genuine ? "verify.genuine" : "verify.not_genuine")),
    h("p", { class: "big" }, h("span", { class: `badge ${permit.status === "valid" ? "ok" : "bad"}` },
      t(`verify.${permit.status}`))),
    h("table", {}, h("tbody", {},
      row(t("verify.holder"), permit.holder_name),
      row(t("verify.permit"), named(permit, "permit_name")),
      // A permit number is one long word: it wraps rather than widen a phone's page.
      row(t("verify.number"), h("span", { class: "mono", style: "overflow-wrap: anywhere" }, permit.permit_number)),
      row(t("verify.validity"), `${when(permit.valid_from, false)} – ${permit.valid_until ? when(permit.valid_until, false) : t("type.forever")}`),
      permit.status_reason ? row(t("verify.reason"), permit.status_reason) : null)));
}


const trackPage = ({ receipt } = {}) => lookup({ title: "track.title", lead: "track.lead", label: "track.receipt",
  name: "track", value: receipt, path: "/track", show: tracking, notFound: "track.notfound", help: "lacak#lacak-tanpa-masuk" });
route("/track", trackPage);
route("/track/:receipt", trackPage);

const verifyPage = ({ code } = {}) => lookup({ title: "verify.title", lead: "verify.lead", label: "verify.code",
  name: "verify", value: code, path: "/verify", show: verification, notFound: "verify.notfound", help: "izin#cek-keaslian" });
route("/verify", verifyPage);
route("/verify/:code", verifyPage);
