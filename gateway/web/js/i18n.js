// Words people read: Bahasa Indonesia first, English on request. Each page module adds its own.
const strings = { id: {}, en: {} };
let language = localStorage.getItem("gaspol.lang") || "id";

export function addStrings(table) {
  for (const lang of ["id", "en"]) Object.assign(strings[lang], table[lang] || {});
}

export function t(key, values = {}) {
  const text = strings[language][key] ?? strings.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

export function lang() { return language; }

export function setLang(next) {
  language = next;
  localStorage.setItem("gaspol.lang", next);
  document.documentElement.lang = next;
}

const locale = () => (language === "id" ? "id-ID" : "en-GB");

// A catalogue text in the reader's language: `name_en` when reading English and it exists.
export function named(item, key = "name") {
  return (language === "en" && item?.[`${key}_en`]) || item?.[key];
}

// Whether a page has its own words for a key (server codes are mapped to words this way).
export function hasText(key) {
  return t(key) !== key;
}

export function number(value, digits = 1) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

export function rupiah(amount) {
  return "Rp " + Number(amount).toLocaleString("id-ID");
}

export function when(iso, withTime = true) {
  if (!iso) return "–";
  const options = { timeZone: "Asia/Jakarta", day: "numeric", month: "long", year: "numeric" };
  if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return new Date(iso).toLocaleString(locale(), options) + (withTime ? " WIB" : "");
}

addStrings({
  id: {
    "nav.catalogue": "Jenis Izin", "nav.track": "Lacak Berkas", "nav.verify": "Cek Keaslian Izin",
    "nav.mine": "Berkas Saya", "nav.inbox": "Kotak Masuk", "nav.queue": "Antrean Kerja",
    "nav.login": "Masuk", "nav.logout": "Keluar", "skip": "Lewati ke isi",
    "nav.transparency": "Transparansi", "nav.reports": "Laporan", "nav.help": "Bantuan",
    "offline": "Anda sedang luring. Halaman yang pernah dibuka tetap dapat dibaca; data baru akan dimuat saat tersambung kembali.",
    "error.network": "Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.",
    "error.generic": "Terjadi kesalahan. Silakan coba lagi.",
    "error.session": "Sesi Anda telah berakhir. Silakan masuk kembali.",
    "loading": "Memuat…", "notfound": "Halaman tidak ditemukan.", "back": "Kembali",
    "state.draft": "Draf", "state.submitted": "Diterima, menunggu verifikasi", "state.revision_requested": "Perlu perbaikan",
    "state.verified": "Terverifikasi", "state.survey": "Survei lapangan", "state.technical_review": "Kajian tim teknis",
    "state.recommended": "Direkomendasikan", "state.awaiting_payment": "Menunggu pembayaran", "state.approval": "Menunggu persetujuan",
    "state.issued": "Izin terbit", "state.rejected": "Ditolak", "state.withdrawn": "Dibatalkan pemohon", "state.archived": "Diarsipkan",
    "ikm.element.requirements": "Persyaratan", "ikm.element.procedure": "Sistem, mekanisme, dan prosedur",
    "ikm.element.time": "Waktu penyelesaian", "ikm.element.cost": "Biaya/tarif", "ikm.element.product": "Produk spesifikasi jenis pelayanan",
    "ikm.element.competence": "Kompetensi pelaksana", "ikm.element.behaviour": "Perilaku pelaksana",
    "ikm.element.complaints": "Penanganan pengaduan, saran dan masukan", "ikm.element.facilities": "Sarana dan prasarana",
    "ikm.score.1": "Tidak baik", "ikm.score.2": "Kurang baik", "ikm.score.3": "Baik", "ikm.score.4": "Sangat baik",
    "ikm.band.A": "Sangat Baik", "ikm.band.B": "Baik", "ikm.band.C": "Kurang Baik", "ikm.band.D": "Tidak Baik",
  },
  en: {
    "nav.catalogue": "Permits", "nav.track": "Track a file", "nav.verify": "Verify a permit",
    "nav.mine": "My files", "nav.inbox": "Inbox", "nav.queue": "Work queue",
    "nav.login": "Sign in", "nav.logout": "Sign out", "skip": "Skip to content",
    "nav.transparency": "Transparency", "nav.reports": "Reports", "nav.help": "Help",
    "offline": "You are offline. Pages you opened before can still be read; new data loads when you are back online.",
    "error.network": "Cannot reach the server. Check your connection and try again.",
    "error.generic": "Something went wrong. Please try again.",
    "error.session": "Your session has ended. Please sign in again.",
    "loading": "Loading…", "notfound": "Page not found.", "back": "Back",
    "state.draft": "Draft", "state.submitted": "Received, awaiting verification", "state.revision_requested": "Needs fixing",
    "state.verified": "Verified", "state.survey": "Field survey", "state.technical_review": "Technical review",
    "state.recommended": "Recommended", "state.awaiting_payment": "Awaiting payment", "state.approval": "Awaiting approval",
    "state.issued": "Permit issued", "state.rejected": "Rejected", "state.withdrawn": "Withdrawn", "state.archived": "Archived",
    "ikm.element.requirements": "Requirements", "ikm.element.procedure": "Systems, mechanisms and procedures",
    "ikm.element.time": "Completion time", "ikm.element.cost": "Cost/tariff", "ikm.element.product": "Product specification of the service",
    "ikm.element.competence": "Officers' competence", "ikm.element.behaviour": "Officers' behaviour",
    "ikm.element.complaints": "Handling of complaints, suggestions and feedback", "ikm.element.facilities": "Facilities and infrastructure",
    "ikm.score.1": "Not good", "ikm.score.2": "Fair", "ikm.score.3": "Good", "ikm.score.4": "Very good",
    "ikm.band.A": "Very good", "ikm.band.B": "Good", "ikm.band.C": "Fair", "ikm.band.D": "Not good",
  },
});
