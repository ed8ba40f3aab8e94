// Admin pages beside the catalogue's read views: editing a permit type (each save is a new
// version; files keep the version they were filed under) and the partner banks, read only.
import { api } from "../api.js";
import { addStrings, named, t, when } from "../i18n.js";
import { go, route } from "../router.js";
import { clearProblem, field, h, helpLink, row, toast } from "../ui.js";
import { busy, officerGate, problemAt, safely, scrollTable } from "./officer.js";

addStrings({
  id: {
    "adm.edit": "Ubah jenis izin", "adm.edit_title": "Ubah {name}", "adm.new": "Jenis izin baru", "adm.new_title": "Jenis izin baru",
    "adm.lead": "Setiap penyimpanan menjadi versi baru. Berkas yang sudah diajukan tetap memakai versi saat diajukan.",
    "adm.code": "Kode (huruf besar, angka, tanda hubung)", "adm.name": "Nama (Bahasa Indonesia)", "adm.name_en": "Nama (English)",
    "adm.description": "Uraian (Bahasa Indonesia)", "adm.description_en": "Uraian (English)",
    "adm.sla": "SLA (hari kerja)", "adm.validity": "Masa berlaku (bulan)", "adm.validity_hint": "Kosongkan bila tidak dibatasi.",
    "adm.survey": "Perlu survei lapangan", "adm.technical": "Perlu kajian tim teknis",
    "adm.fee": "Retribusi", "adm.fee.kind": "Aturan tarif", "adm.fee.free": "Gratis", "adm.fee.fixed": "Tarif tetap",
    "adm.fee.billboard": "Reklame (luas × bulan × kelas lokasi)", "adm.fee.building": "Bangunan (luas lantai × indeks × harga satuan)",
    "adm.fee.amount": "Tarif (Rp)", "adm.fee.rate": "Tarif kelas {class} (Rp per m² per bulan)", "adm.fee.unit_price": "Harga satuan (Rp per m²)",
    "adm.fee_summary": "Ringkasan biaya (Bahasa Indonesia)", "adm.fee_summary_en": "Ringkasan biaya (English)",
    "adm.legal": "Dasar hukum (satu per baris)", "adm.conditions": "Ketentuan izin (satu per baris, tidak wajib)",
    "adm.requirements": "Persyaratan", "adm.requirement": "Persyaratan {n}", "adm.req.code": "Kode (huruf kecil dan garis bawah)",
    "adm.req.required": "Wajib", "adm.req.file_types": "Jenis berkas", "adm.req.max_size": "Ukuran maks. (MB)",
    "adm.req.template": "Tautan contoh (tidak wajib)", "adm.req.remove": "Hapus persyaratan {n}", "adm.req.add": "Tambah persyaratan",
    "adm.save": "Simpan versi baru", "adm.saved": "{code} versi {version} disimpan.", "adm.cancel": "Batal",
    "adm.banks.title": "Bank Mitra", "adm.banks.lead": "Bank yang menerima pembayaran retribusi melalui virtual account. Diatur oleh operator pada berkas konfigurasi; halaman ini hanya untuk membaca.",
    "adm.banks.client": "Client ID", "adm.banks.prefix": "Prefiks VA", "adm.banks.channel": "Channel ID",
    "adm.banks.key": "Kunci publik", "adm.banks.key_value": "RSA {bits} bit, SHA-256 {sha}", "adm.banks.last": "Panggilan terakhir",
    "adm.banks.never": "Belum pernah", "adm.banks.call": "{when}: {service}, {outcome} ({code})", "adm.banks.none": "Belum ada bank mitra.",
  },
  en: {
    "adm.edit": "Edit permit type", "adm.edit_title": "Edit {name}", "adm.new": "New permit type", "adm.new_title": "New permit type",
    "adm.lead": "Each save is a new version. Files already filed keep the version they were filed under.",
    "adm.code": "Code (capitals, digits, hyphens)", "adm.name": "Name (Bahasa Indonesia)", "adm.name_en": "Name (English)",
    "adm.description": "Description (Bahasa Indonesia)", "adm.description_en": "Description (English)",
    "adm.sla": "SLA (working days)", "adm.validity": "Validity (months)", "adm.validity_hint": "Leave empty when it does not expire.",
    "adm.survey": "Needs a field survey", "adm.technical": "Needs a technical review",
    "adm.fee": "Fee", "adm.fee.kind": "Fee rule", "adm.fee.free": "Free", "adm.fee.fixed": "Fixed fee",
    "adm.fee.billboard": "Billboard (area × months × location class)", "adm.fee.building": "Building (floor area × index × unit price)",
    "adm.fee.amount": "Fee (Rp)", "adm.fee.rate": "Class {class} rate (Rp per m² per month)", "adm.fee.unit_price": "Unit price (Rp per m²)",
    "adm.fee_summary": "Fee summary (Bahasa Indonesia)", "adm.fee_summary_en": "Fee summary (English)",
    "adm.legal": "Legal basis (one per line)", "adm.conditions": "Permit conditions (one per line, optional)",
    "adm.requirements": "Requirements", "adm.requirement": "Requirement {n}", "adm.req.code": "Code (lower case and underscores)",
    "adm.req.required": "Required", "adm.req.file_types": "File types", "adm.req.max_size": "Max. size (MB)",
    "adm.req.template": "Template link (optional)", "adm.req.remove": "Remove requirement {n}", "adm.req.add": "Add a requirement",
    "adm.save": "Save a new version", "adm.saved": "{code} version {version} saved.", "adm.cancel": "Cancel",
    "adm.banks.title": "Partner banks", "adm.banks.lead": "The banks that take fee payments by virtual account. Operators set them in the configuration file; this page only reads them.",
    "adm.banks.client": "Client ID", "adm.banks.prefix": "VA prefix", "adm.banks.channel": "Channel ID",
    "adm.banks.key": "Public key", "adm.banks.key_value": "RSA {bits} bits, SHA-256 {sha}", "adm.banks.last": "Last call",
    "adm.banks.never": "Never", "adm.banks.call": "{when}: {service}, {outcome} ({code})", "adm.banks.none": "No partner bank yet.",
  },
});

const FEE_KINDS = ["free", "fixed", "billboard", "building"];
const FEE_INPUTS = { billboard: ["area_m2", "months", "location_class"], building: ["floor_area_m2", "building_index"] };
const FILE_TYPES = ["pdf", "jpeg", "png"];
const CLASSES = ["A", "B", "C"];
const BLANK_TYPE = {
  code: "", name: "", name_en: "", description: "", description_en: "", legal_basis: [], requirements: [],
  sla_working_days: 5, needs_survey: false, needs_technical: false, fee_rule: { kind: "free" },
  fee_summary: "", fee_summary_en: "", validity_months: null, conditions: [],
};
const BLANK_REQUIREMENT = { code: "", name: "", name_en: "", required: true, file_types: ["pdf"], max_size_mb: 5,
  description: "", template_url: null };

// --- small form parts ---------------------------------------------------------------------------

const text = (name, label, value, extra = {}) => field(name, label, { value: value ?? "", autocomplete: "off", ...extra });
const area = (name, label, value, rows = "3") => {
  const box = field(name, label, { tag: "textarea", rows });
  box.querySelector("textarea").value = value ?? "";
  return box;
};
const count = (name, label, value, extra = {}) => text(name, label, value, { type: "number", inputmode: "numeric", ...extra });

function check(name, label, checked) {
  const id = `chk-${name.replace(/[^\w-]/g, "_")}`;
  return h("div", { "data-field": name, class: "off-check off-gap" },
    h("input", { type: "checkbox", id, name, checked, class: "off-box" }),
    h("label", { for: id, class: "off-check-label" }, label),
    h("div", { class: "field-error" }));
}

const lines = (value) => value.split("\n").map((line) => line.trim()).filter(Boolean);
const whole = (value) => (value.trim() === "" ? null : Number(value.trim()));

// --- the fee rule: its fields follow the kind chosen ------------------------------------------

function feeSection(rule) {
  const kind = field("fee_rule.kind", t("adm.fee.kind"), { tag: "select",
    options: FEE_KINDS.map((k) => h("option", { value: k, selected: k === rule.kind }, t(`adm.fee.${k}`))) });
  const parts = {
    free: [],
    fixed: [count("fee_rule.amount", t("adm.fee.amount"), rule.amount, { min: "1" })],
    billboard: CLASSES.map((c) => count(`fee_rule.rates.${c}`, t("adm.fee.rate", { class: c }), rule.rates?.[c], { min: "1" })),
    building: [count("fee_rule.unit_price", t("adm.fee.unit_price"), rule.unit_price, { min: "1" })],
  };
  const holder = h("div", {});
  const show = () => holder.replaceChildren(...parts[kind.querySelector("select").value]);
  kind.querySelector("select").addEventListener("change", show);
  show();
  return h("fieldset", { class: "off-fieldset", "data-field": "fee_rule" },
    h("legend", {}, t("adm.fee")), kind, holder, h("div", { class: "field-error" }));
}

function feeRuleOf(form) {
  const value = (name) => form.elements[name]?.value ?? "";
  const kind = value("fee_rule.kind");
  const rule = { kind };
  if (kind === "fixed") rule.amount = whole(value("fee_rule.amount"));
  if (kind === "billboard") rule.rates = Object.fromEntries(CLASSES.map((c) => [c, whole(value(`fee_rule.rates.${c}`))]));
  if (kind === "building") rule.unit_price = whole(value("fee_rule.unit_price"));
  if (FEE_INPUTS[kind]) rule.inputs = FEE_INPUTS[kind];
  return rule;
}

// --- requirements: a list the admin can grow and shrink ---------------------------------------

function requirementBox(requirement, index, onRemove) {
  const path = `requirements[${index}]`;
  const n = index + 1;
  const types = h("fieldset", { class: "off-fieldset", "data-field": `${path}.file_types` },
    h("legend", {}, t("adm.req.file_types")),
    FILE_TYPES.map((type) => check(`${path}.file_types.${type}`, type.toUpperCase(), requirement.file_types.includes(type))),
    h("div", { class: "field-error" }));
  return h("fieldset", { class: "off-fieldset", "data-field": path, "data-requirement": true },
    h("legend", {}, t("adm.requirement", { n })),
    h("div", { class: "grid two" },
      text(`${path}.code`, t("adm.req.code"), requirement.code, { class: "mono", maxlength: "40" }),
      count(`${path}.max_size_mb`, t("adm.req.max_size"), requirement.max_size_mb, { min: "1", max: "100" })),
    h("div", { class: "grid two" },
      text(`${path}.name`, t("adm.name"), requirement.name),
      text(`${path}.name_en`, t("adm.name_en"), requirement.name_en)),
    area(`${path}.description`, t("adm.description"), requirement.description, "2"),
    text(`${path}.template_url`, t("adm.req.template"), requirement.template_url, { type: "url" }),
    check(`${path}.required`, t("adm.req.required"), requirement.required),
    types,
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: onRemove }, t("adm.req.remove", { n }))),
    h("div", { class: "field-error" }));
}

function requirementOf(form, index) {
  const path = `requirements[${index}]`;
  const value = (name) => (form.elements[`${path}.${name}`]?.value ?? "").trim();
  return {
    code: value("code"), name: value("name"), name_en: value("name_en"),
    required: form.elements[`${path}.required`].checked,
    file_types: FILE_TYPES.filter((type) => form.elements[`${path}.file_types.${type}`].checked),
    max_size_mb: whole(value("max_size_mb")),
    description: value("description"),
    template_url: value("template_url") || null,
  };
}

// Numbers the boxes again after one is removed, so error paths and labels stay true.
function requirementsSection(form, requirements) {
  const list = h("div", {});
  const draw = (items) => list.replaceChildren(...items.map((requirement, index) =>
    requirementBox(requirement, index, () => draw(current().filter((_, i) => i !== index)))));
  const current = () => [...list.querySelectorAll("[data-requirement]")].map((_, index) => requirementOf(form, index));
  draw(requirements);
  const add = h("button", { type: "button", class: "secondary" }, t("adm.req.add"));
  add.addEventListener("click", () => {
    draw([...current(), { ...BLANK_REQUIREMENT }]);
    list.lastElementChild.querySelector("input").focus();
  });
  return h("section", { "data-field": "requirements" },
    h("h2", {}, t("adm.requirements")), list, h("div", { class: "field-error" }), h("div", { class: "actions" }, add));
}

// --- the editor -----------------------------------------------------------------------------------

function permitTypeOf(form, isNew, code) {
  const value = (name) => (form.elements[name]?.value ?? "").trim();
  return {
    code: isNew ? value("code") : code,
    name: value("name"), name_en: value("name_en"),
    description: value("description"), description_en: value("description_en"),
    legal_basis: lines(form.elements.legal_basis.value),
    requirements: [...form.querySelectorAll("[data-requirement]")].map((_, index) => requirementOf(form, index)),
    sla_working_days: whole(value("sla_working_days")),
    needs_survey: form.elements.needs_survey.checked,
    needs_technical: form.elements.needs_technical.checked,
    fee_rule: feeRuleOf(form),
    fee_summary: value("fee_summary"), fee_summary_en: value("fee_summary_en"),
    validity_months: whole(value("validity_months")),
    conditions: lines(form.elements.conditions.value),
  };
}

function editor(type, isNew) {
  const back = isNew ? "/work/permit-types" : `/work/permit-types/${encodeURIComponent(type.code)}`;
  const form = h("form", { novalidate: true, "aria-labelledby": "type-title" },
    h("section", { class: "card" },
      isNew ? text("code", t("adm.code"), "", { class: "mono", maxlength: "20", required: true, "aria-required": "true" }) : null,
      h("div", { class: "grid two" },
        text("name", t("adm.name"), type.name, { required: true, "aria-required": "true" }),
        text("name_en", t("adm.name_en"), type.name_en, { required: true, "aria-required": "true" })),
      area("description", t("adm.description"), type.description),
      area("description_en", t("adm.description_en"), type.description_en),
      h("div", { class: "grid two" },
        count("sla_working_days", t("adm.sla"), type.sla_working_days, { min: "1", max: "90", required: true, "aria-required": "true" }),
        count("validity_months", t("adm.validity"), type.validity_months, { min: "1", max: "120" })),
      h("p", { class: "hint" }, t("adm.validity_hint")),
      check("needs_survey", t("adm.survey"), type.needs_survey),
      check("needs_technical", t("adm.technical"), type.needs_technical)),
    h("section", { class: "card" },
      feeSection(type.fee_rule || { kind: "free" }),
      h("div", { class: "grid two" },
        text("fee_summary", t("adm.fee_summary"), type.fee_summary),
        text("fee_summary_en", t("adm.fee_summary_en"), type.fee_summary_en)),
      area("legal_basis", t("adm.legal"), (type.legal_basis || []).join("\n"), "4"),
      area("conditions", t("adm.conditions"), (type.conditions || []).join("\n"), "3")),
    h("div", { class: "actions" },
      h("button", { type: "submit" }, t("adm.save")),
      h("a", { class: "button secondary", href: back, "data-link": true }, t("adm.cancel"))));
  form.insertBefore(requirementsSection(form, (type.requirements || []).map((r) => ({ ...BLANK_REQUIREMENT, ...r }))), form.lastElementChild);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    const document = permitTypeOf(form, isNew, type.code);
    busy(form, true);
    try {
      const saved = await api("PUT", `/permit-types/${encodeURIComponent(document.code || "-")}`, document);
      toast(t("adm.saved", { code: saved.code, version: saved.version }));
      await go(`/work/permit-types/${encodeURIComponent(saved.code)}`);
    } catch (error) {
      busy(form, false);
      problemAt(form, error);
    }
  });
  return form;
}

route("/work/new-permit-type", safely(async () => {
  const blocked = await officerGate(["admin"]);
  if (blocked) return blocked;
  return h("section", {},
    h("p", {}, h("a", { href: "/work/permit-types", "data-link": true }, `← ${t("off.types.back")}`)),
    h("h1", { id: "type-title" }, t("adm.new_title"), " ", helpLink("admin#jenis-izin", t("adm.new_title"))), h("p", { class: "notice" }, t("adm.lead")),
    editor(structuredClone(BLANK_TYPE), true));
}));

route("/work/permit-types/:code/edit", safely(async ({ code }) => {
  const blocked = await officerGate(["admin"]);
  if (blocked) return blocked;
  const type = await api("GET", `/permit-types/${encodeURIComponent(code)}`);
  return h("section", {},
    h("p", {}, h("a", { href: `/work/permit-types/${encodeURIComponent(code)}`, "data-link": true }, `← ${named(type)}`)),
    h("h1", { id: "type-title" }, t("adm.edit_title", { name: named(type) }), " ", helpLink("admin#jenis-izin", t("adm.edit"))),
    h("p", { class: "notice" }, t("adm.lead"), type.version ? ` (${t("off.types.version", { version: type.version })})` : ""),
    editor(type, false));
}));

// --- /work/banks: the partner banks, read only ----------------------------------------------------

function lastCall(call) {
  if (!call) return t("adm.banks.never");
  return t("adm.banks.call", { when: when(call.at), service: call.service, outcome: call.outcome, code: call.response_code });
}

route("/work/banks", safely(async () => {
  const blocked = await officerGate(["admin", "treasurer", "head", "auditor"]);
  if (blocked) return blocked;
  const { items } = await api("GET", "/bank-partners");
  return h("section", {},
    h("h1", {}, t("adm.banks.title"), " ", helpLink("admin#bank-mitra", t("adm.banks.title"))), h("p", {}, t("adm.banks.lead")),
    items.length ? items.map((bank) => h("section", { class: "card", "aria-labelledby": `bank-${bank.client_id}` },
      h("h2", { id: `bank-${bank.client_id}`, class: "off-flush" }, bank.name),
      h("table", {}, h("tbody", {},
        row(t("adm.banks.client"), h("span", { class: "mono" }, bank.client_id)),
        row(t("adm.banks.prefix"), h("span", { class: "mono" }, bank.partner_service_id.trim())),
        row(t("adm.banks.channel"), h("span", { class: "mono" }, bank.channel_id || "–")),
        row(t("adm.banks.key"), h("span", { class: "mono off-break" }, t("adm.banks.key_value", { bits: bank.public_key.bits, sha: bank.public_key.sha256 }))),
        row(t("adm.banks.last"), lastCall(bank.last_call))))))
      : h("p", { class: "hint" }, t("adm.banks.none")));
}));
