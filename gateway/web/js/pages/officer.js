// Pages for the office: work queues, one file's review and actions, the treasurer's
// reconciliation, officer accounts and the permit catalogue. Everything a page
// shows is read from its URL, so a reload lands on the same view.
import { api, saveFile, session } from "../api.js";
import { addStrings, hasText, lang, named, number, rupiah, t, when } from "../i18n.js";
import { go, route } from "../router.js";
import { clearProblem, field, h, helpLink, row, showProblem, shown, stateBadge, toast } from "../ui.js";

addStrings({
  id: {
    "off.table": "Tabel {label}", "off.work.title": "Antrean Kerja", "off.work.lead": "Berkas yang menunggu Anda, diurutkan dari yang paling dekat batas waktunya.",
    "off.work.signin": "Halaman ini untuk petugas. Silakan masuk dengan akun petugas Anda.", "off.work.signin.link": "Masuk",
    "off.work.forbidden": "Akun Anda tidak memiliki peran untuk membuka halaman ini.",
    "off.work.no_role": "Akun Anda belum memiliki peran petugas. Hubungi administrator.",
    "off.work.queue": "Antrean {role}", "off.work.empty": "Tidak ada berkas di antrean ini.",
    "off.work.shown": "Menampilkan {shown} dari {total} berkas.", "off.work.open": "Buka berkas {receipt}",
    "off.work.col.receipt": "Nomor tanda terima", "off.work.col.permit": "Jenis izin", "off.work.col.state": "Status",
    "off.work.col.sla": "Waktu layanan (SLA)", "off.work.col.submitted": "Diajukan",
    "off.work.treasurer": "Keuangan", "off.work.treasurer.lead": "Penerimaan retribusi per bank dan selisih yang perlu ditindaklanjuti.",
    "off.work.admin": "Administrasi", "off.work.admin.lead": "Akun petugas dan katalog jenis izin.",
    "off.work.auditor": "Daftar berkas menurut status", "off.work.auditor.lead": "Hanya baca: Anda dapat membuka setiap berkas tetapi tidak mengubahnya.",
    "off.work.state": "Status berkas", "off.work.show": "Tampilkan",
    "off.page.prev": "Sebelumnya", "off.page.next": "Berikutnya", "off.page.of": "Halaman {page} dari {pages}",
    "off.role.applicant": "Pemohon", "off.role.frontdesk": "Verifikator (loket)", "off.role.surveyor": "Tim survei",
    "off.role.technical": "Tim teknis", "off.role.head": "Kepala dinas", "off.role.treasurer": "Bendahara",
    "off.role.admin": "Administrator", "off.role.auditor": "Auditor",
    "off.sla.on_track": "Sesuai jadwal", "off.sla.warning": "Mendekati batas", "off.sla.breached": "Melewati batas",
    "off.sla.due": "Batas {date}", "off.sla.paused": "Jam layanan berhenti (berkas di pemohon)", "off.sla.finished": "Layanan selesai", "off.sla.not_started": "Belum diajukan",
    "off.sla.used": "{percent} terpakai", "off.sla.days": "{used} dari {total} hari kerja terpakai, sisa {left} hari kerja",
    "off.sla.predicted": "Perkiraan selesai {date}", "off.sla.pauses": "Jeda", "off.sla.title": "Waktu layanan (SLA)",
    "off.file.reload": "Muat ulang", "off.file.to_actions": "Ke tindakan", "off.file.back": "Kembali ke antrean", "off.file.data": "Data permohonan", "off.file.no_data": "Tidak ada data isian.",
    "off.file.submitted": "Diajukan {date}", "off.file.type": "Jenis izin", "off.file.receipt": "Nomor tanda terima",
    "off.file.requirements": "Dokumen persyaratan", "off.file.required": "wajib", "off.file.optional": "tidak wajib",
    "off.file.not_uploaded": "Belum diunggah.", "off.file.on_file": "Status pada berkas:",
    "off.file.waiting": "Hasil pemeriksaan dokumen sampai ke berkas dalam beberapa detik. Belum diterima pada berkas: {list}. Tekan \u201cMuat ulang\u201d sebelum memverifikasi.",
    "off.file.revision": "Perbaikan yang diminta", "off.file.survey": "Survei lapangan", "off.file.survey.when": "Jadwal",
    "off.file.survey.where": "Lokasi", "off.file.survey.report": "Berita acara", "off.file.fee": "Retribusi",
    "off.file.invoice": "Tagihan (SKRD)", "off.file.invoice.status": "Status tagihan", "off.file.invoice.va": "Virtual account",
    "off.file.permit": "Izin", "off.file.certificate": "Unduh sertifikat izin (PDF)", "off.file.certificate_pending": "Sertifikat sedang disiapkan. Coba lagi sebentar lagi.", "off.permit.valid": "Berlaku", "off.permit.suspended": "Dibekukan", "off.permit.revoked": "Dicabut", "off.file.permit.number": "Nomor izin", "off.file.permit.valid": "Masa berlaku",
    "off.file.timeline": "Riwayat", "off.file.actor": "oleh {roles}", "off.file.system": "oleh sistem",
    "off.file.sla_at": "SLA terpakai saat itu: {days} hari kerja",
    "off.doc.status.uploaded": "Belum diperiksa", "off.doc.status.accepted": "Diterima", "off.doc.status.rejected": "Ditolak",
    "off.doc.version": "Versi {version}", "off.doc.latest": "terbaru", "off.doc.size": "{size} KB", "off.doc.uploaded": "diunggah {date}",
    "off.doc.reason": "Alasan: {reason}", "off.doc.show": "Tampilkan dokumen", "off.doc.download": "Unduh {name}",
    "off.doc.viewer": "Pratinjau {name}", "off.doc.loading": "Memuat dokumen…",
    "off.doc.fallback": "Bila pratinjau tidak tampil, unduh berkasnya.",
    "off.doc.unsupported": "Jenis berkas ini tidak ditampilkan di halaman; silakan unduh.",
    "off.review.accept": "Terima", "off.review.accept_named": "Terima {name}", "off.review.reject": "Tolak",
    "off.review.reject_named": "Tolak {name}", "off.review.send_reject": "Kirim penolakan", "off.review.send_reject_named": "Kirim penolakan {name}", "off.review.cancel": "Batal",
    "off.review.reason": "Alasan penolakan", "off.review.reason_hint": "Jelaskan apa yang perlu diperbaiki pemohon.",
    "off.review.done.accept": "Dokumen diterima.", "off.review.done.reject": "Dokumen ditolak.",
    "off.actions.title": "Tindakan", "off.actions.none": "Tidak ada tindakan untuk peran Anda pada tahap ini.",
    "off.actions.done": "Tersimpan. Status berkas: {state}.",
    "off.action.create": "Draf dibuat", "off.action.submit": "Diajukan pemohon", "off.action.verify": "Verifikasi berkas",
    "off.action.request_revision": "Minta perbaikan", "off.action.schedule_survey": "Jadwalkan survei",
    "off.action.report_survey": "Laporkan hasil survei", "off.action.recommend": "Beri rekomendasi",
    "off.action.reject": "Tolak permohonan", "off.action.assess_fee": "Tetapkan retribusi",
    "off.action.payment_received": "Pembayaran diterima", "off.action.invoice_closed": "Tagihan ditutup",
    "off.action.approve": "Setujui dan terbitkan izin", "off.action.withdraw": "Dibatalkan pemohon", "off.action.archive": "Diarsipkan",
    "off.action.permit_valid": "Izin dipulihkan", "off.action.permit_suspended": "Izin dibekukan", "off.action.permit_revoked": "Izin dicabut",
    "off.action.verify.lead": "Semua dokumen wajib harus sudah diterima. Berkas lalu diteruskan ke tahap berikutnya.",
    "off.action.request_revision.lead": "Berkas dikembalikan ke pemohon; jam layanan berhenti sampai pemohon mengirim ulang.",
    "off.action.schedule_survey.lead": "Pemohon diberi tahu jadwal dan lokasi survei.",
    "off.action.report_survey.lead": "Tuliskan berita acara hasil survei lapangan.",
    "off.action.recommend.lead": "Rekomendasi tim teknis untuk diterbitkannya izin.",
    "off.action.reject.lead": "Permohonan ditolak dan berkas selesai. Pemohon menerima alasannya.",
    "off.action.assess_fee.lead": "Besaran retribusi dihitung dari aturan tarif jenis izin ini; pemohon lalu menerima tagihan.",
    "off.action.approve.lead": "Persetujuan Anda menerbitkan izin dan menandatanganinya secara elektronik.",
    "off.field.note": "Catatan", "off.field.note.optional": "Catatan (tidak wajib)", "off.field.reason": "Alasan",
    "off.field.revision_note": "Apa yang perlu diperbaiki", "off.field.per_requirement": "Alasan per dokumen (isi yang perlu saja)",
    "off.field.scheduled_for": "Tanggal dan jam survei (WIB)", "off.field.location": "Lokasi survei",
    "off.field.report": "Berita acara survei", "off.field.area_m2": "Luas bidang reklame (m²)", "off.field.months": "Lama pemasangan (bulan)",
    "off.field.location_class": "Kelas lokasi", "off.field.location_class.option": "Kelas {class} — {rate} per m² per bulan",
    "off.field.floor_area_m2": "Luas lantai bangunan (m²)", "off.field.building_index": "Indeks bangunan",
    "off.field.decimal_hint": "Gunakan titik untuk desimal, misalnya 12.5.",
    "off.fee.free": "Izin ini tidak dipungut biaya.", "off.fee.fixed": "Tarif tetap {amount}.",
    "off.fee.unit_price": "Harga satuan {amount} per m².", "off.fee.amount": "Jumlah", "off.fee.rule_missing": "Aturan tarif jenis izin ini tidak dapat dimuat.",
    "off.problem.documents_not_accepted": "Belum semua dokumen wajib berstatus diterima pada berkas. Tekan \u201cMuat ulang\u201d lalu coba lagi.",
    "off.problem.documents_missing": "Masih ada dokumen wajib yang belum diunggah pemohon.",
    "off.problem.reason_required": "Tuliskan alasannya.", "off.problem.schedule_required": "Isi tanggal dan jam survei.",
    "off.problem.survey_not_scheduled": "Jadwalkan survei terlebih dahulu sebelum melaporkan hasilnya.",
    "off.problem.survey_report_required": "Isi berita acara survei.", "off.problem.fee_inputs_required": "Isi data perhitungan retribusi.",
    "off.problem.not_allowed_in_state": "Tindakan ini tidak dapat dilakukan pada tahap berkas saat ini; mungkin petugas lain sudah memprosesnya. Muat ulang halaman.",
    "off.problem.role_not_allowed": "Peran Anda tidak berwenang melakukan tindakan ini.",
    "off.problem.forbidden": "Peran Anda tidak berwenang melakukan tindakan ini.",
    "off.problem.already_reviewed": "Versi dokumen ini sudah diperiksa. Muat ulang halaman.",
    "off.problem.concurrent_change": "Berkas sedang diubah. Muat ulang lalu coba lagi.",
    "off.problem.self_disable": "Anda tidak dapat menonaktifkan akun Anda sendiri.",
    "off.problem.already_registered": "Email atau nomor telepon ini sudah terdaftar.",
    "off.problem.validation_failed": "Beberapa isian perlu diperbaiki.", "off.problem.not_found": "Data yang dicari tidak ditemukan, atau akun Anda tidak berhak melihatnya.", "off.problem.network": "Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.", "off.problem.conflict": "Berkas sudah berubah sejak halaman dibuka. Muat ulang lalu periksa kembali.",
    "off.problem.field.required": "Wajib diisi.", "off.problem.field.reason_required": "Tuliskan alasannya.",
    "off.problem.field.schedule_required": "Isi tanggal dan jam survei.", "off.problem.field.survey_report_required": "Isi berita acara survei.",
    "off.problem.field.roles_empty": "Pilih paling sedikit satu peran.", "off.problem.field.minItems": "Pilih paling sedikit satu.",
    "off.problem.field.email_invalid": "Alamat email tidak valid.", "off.problem.field.phone_invalid": "Nomor telepon tidak valid.",
    "off.problem.field.password_too_short": "Kata sandi paling sedikit 8 karakter.", "off.problem.field.password_common": "Kata sandi ini terlalu umum; pilih yang lain.",
    "off.problem.field.password_related": "Kata sandi tidak boleh memuat nama atau email.", "off.problem.field.already_registered": "Sudah terdaftar.",
    "off.problem.field.choice": "Pilih salah satu pilihan yang tersedia.", "off.problem.field.number": "Masukkan angka; gunakan titik untuk desimal.",
    "off.problem.field.type": "Isian ini tidak sesuai.", "off.problem.field.integer": "Masukkan bilangan bulat.",
    "off.problem.field.range": "Nilai di luar batas yang diizinkan.", "off.problem.field.precision": "Terlalu banyak angka di belakang titik.",
    "off.problem.field.maxLength": "Isian terlalu panjang.", "off.problem.field.minLength": "Wajib diisi.",
    "off.problem.field.empty": "Wajib diisi.", "off.problem.field.pattern": "Bentuknya belum sesuai petunjuk.", "off.problem.field.duplicate": "Sudah dipakai pada isian lain.",
    "off.recon.title": "Rekonsiliasi Harian", "off.recon.lead": "Tagihan, pembayaran per bank, dan selisih pada satu hari kalender WIB.",
    "off.recon.date": "Tanggal (WIB)", "off.recon.show": "Tampilkan", "off.recon.csv": "Unduh CSV", "off.recon.day": "Rekonsiliasi {date}",
    "off.recon.banks": "Per bank", "off.recon.bank": "Bank", "off.recon.paid": "Tagihan lunas", "off.recon.collected": "Diterima",
    "off.recon.mismatch": "Nominal tidak cocok", "off.recon.already_paid": "Dibayar ulang", "off.recon.unknown_bill": "Tagihan tidak dikenal",
    "off.recon.expired_or_cancelled": "Tagihan kedaluwarsa/batal", "off.recon.refund": "Harus dikembalikan", "off.recon.total": "Jumlah",
    "off.recon.issued": "SKRD terbit", "off.recon.billed": "Nilai tagihan terbit", "off.recon.expired": "SKRD kedaluwarsa",
    "off.recon.expired_amount": "Nilai tagihan kedaluwarsa", "off.recon.summary": "Ringkasan", "off.recon.no_banks": "Belum ada bank mitra.",
    "off.recon.anomalies": "Selisih yang perlu ditindaklanjuti", "off.recon.no_anomalies": "Tidak ada selisih pada tanggal ini.",
    "off.recon.kind": "Jenis", "off.recon.invoice": "Nomor SKRD", "off.recon.request": "ID pembayaran bank", "off.recon.at": "Waktu",
    "off.recon.paid_amount": "Dibayar", "off.recon.invoice_amount": "Nilai tagihan",
    "off.recon.kind.amount_mismatch": "Nominal tidak cocok", "off.recon.kind.already_paid": "Tagihan sudah lunas, dibayar lagi",
    "off.recon.kind.unknown_bill": "Virtual account tidak dikenal", "off.recon.kind.expired_or_cancelled": "Tagihan kedaluwarsa atau dibatalkan",
    "off.recon.downloaded": "Berkas CSV diunduh.",
    "off.invoice.status.open": "Belum dibayar", "off.invoice.status.paid": "Lunas", "off.invoice.status.expired": "Kedaluwarsa", "off.invoice.status.cancelled": "Dibatalkan",
    "off.invoice.cancel": "Batalkan tagihan", "off.invoice.cancel.lead": "Untuk tagihan yang salah. Pemohon lalu dapat meminta tagihan baru; nomor VA lama tidak dapat dibayar lagi.",
    "off.invoice.cancelled": "Tagihan {number} dibatalkan.", "off.invoice.renew": "Terbitkan tagihan baru", "off.invoice.renewed": "Tagihan baru {number} diterbitkan.",
    "off.permit.change": "Ubah status izin", "off.permit.change.lead": "Pembekuan dapat dipulihkan; pencabutan bersifat tetap. Pemegang izin menerima alasannya dan halaman verifikasi langsung menampilkan status baru.",
    "off.permit.new_status": "Status baru", "off.permit.to.valid": "Pulihkan (berlaku kembali)", "off.permit.to.suspended": "Bekukan sementara",
    "off.permit.to.revoked": "Cabut izin", "off.permit.changed": "Status izin diubah.", "off.problem.permit_revoked": "Izin yang sudah dicabut tidak dapat diubah lagi.",
    "off.problem.invoice_not_open": "Hanya tagihan yang belum dibayar yang dapat dibatalkan.", "off.problem.invoice_renewed": "Tagihan baru sudah diterbitkan.",
    "off.users.title": "Akun Petugas", "off.users.lead": "Buat akun petugas, ubah perannya, atau nonaktifkan akun.",
    "off.users.create": "Buat akun petugas", "off.users.email": "Email", "off.users.name": "Nama lengkap", "off.users.roles": "Peran",
    "off.users.phone": "Nomor telepon (tidak wajib)", "off.users.password": "Kata sandi awal (tidak wajib)",
    "off.users.password_hint": "Jika dikosongkan, petugas menerima tautan melalui email untuk membuat kata sandi sendiri.",
    "off.users.created": "Akun {email} dibuat.", "off.users.list": "Daftar akun", "off.users.status": "Status",
    "off.users.active": "Aktif", "off.users.disabled": "Nonaktif", "off.users.edit": "Ubah", "off.users.edit_named": "Ubah akun {name}",
    "off.users.edit_title": "Ubah akun {name}", "off.users.disable": "Nonaktifkan akun ini",
    "off.users.edit_hint": "Perubahan peran atau status mengakhiri semua sesi akun ini; peran baru berlaku saat petugas masuk kembali.",
    "off.users.save": "Simpan perubahan", "off.users.saved": "Akun {email} diperbarui.", "off.users.filter": "Tampilkan peran",
    "off.users.all": "Semua peran", "off.users.none": "Tidak ada akun.",
    "off.types.title": "Katalog Jenis Izin", "off.types.lead": "Jenis izin yang dapat diajukan, dengan persyaratan, SLA, dan biayanya.", "off.types.new": "Jenis izin baru", "off.types.edit": "Ubah jenis izin", "off.banks": "Bank Mitra", "off.integration": "Integrasi OSS",
    "off.complaints": "Pengaduan dari survei kepuasan", "off.complaints.lead": "Nilai survei yang rendah atau komentar yang ditandai sebagai pengaduan wajib dijawab; pemohon menerima jawabannya.",
    "off.complaints.open": "Pengaduan yang belum dijawab",
    "off.types.code": "Kode", "off.types.name": "Nama", "off.types.sla": "SLA", "off.types.sla_days": "{days} hari kerja", "off.types.steps": "Tahapan",
    "off.types.fee": "Biaya", "off.types.requirements": "Persyaratan", "off.types.detail": "Rincian", "off.types.detail_named": "Rincian {name}",
    "off.types.back": "Kembali ke katalog", "off.types.version": "Versi {version}", "off.types.validity": "Masa berlaku",
    "off.types.months": "{months} bulan", "off.types.forever": "Tidak dibatasi", "off.types.legal": "Dasar hukum", "off.types.conditions": "Ketentuan",
    "off.types.fee_rule": "Aturan tarif", "off.types.file_types": "Jenis berkas", "off.types.max_size": "Ukuran maks.", "off.types.template": "Contoh",
    "off.types.yes": "Ya", "off.types.no": "Tidak", "off.types.required": "Wajib",
    "off.step.verify": "Verifikasi dokumen", "off.step.survey": "Survei lapangan", "off.step.technical": "Kajian tim teknis",
    "off.step.fee": "Pembayaran retribusi", "off.step.approve": "Persetujuan kepala dinas",
    "off.rule.free": "Gratis", "off.rule.fixed": "Tarif tetap {amount}", "off.rule.billboard": "Luas × lama × tarif kelas lokasi (A {A}, B {B}, C {C} per m² per bulan)",
    "off.rule.building": "Luas lantai × indeks bangunan × {amount} per m²",
  },
  en: {
    "off.table": "Table: {label}", "off.work.title": "Work queue", "off.work.lead": "Files waiting for you, the nearest deadline first.",
    "off.work.signin": "This page is for officers. Please sign in with your officer account.", "off.work.signin.link": "Sign in",
    "off.work.forbidden": "Your account does not have a role that may open this page.",
    "off.work.no_role": "Your account has no officer role yet. Please contact the administrator.",
    "off.work.queue": "{role} queue", "off.work.empty": "No files in this queue.",
    "off.work.shown": "Showing {shown} of {total} files.", "off.work.open": "Open file {receipt}",
    "off.work.col.receipt": "Receipt number", "off.work.col.permit": "Permit", "off.work.col.state": "Status",
    "off.work.col.sla": "Service time (SLA)", "off.work.col.submitted": "Submitted",
    "off.work.treasurer": "Finance", "off.work.treasurer.lead": "Fee income per bank and differences to follow up.",
    "off.work.admin": "Administration", "off.work.admin.lead": "Officer accounts and the permit catalogue.",
    "off.work.auditor": "Files by status", "off.work.auditor.lead": "Read only: you can open every file but not change it.",
    "off.work.state": "File status", "off.work.show": "Show",
    "off.page.prev": "Previous", "off.page.next": "Next", "off.page.of": "Page {page} of {pages}",
    "off.role.applicant": "Applicant", "off.role.frontdesk": "Front desk", "off.role.surveyor": "Survey team",
    "off.role.technical": "Technical team", "off.role.head": "Head of office", "off.role.treasurer": "Treasurer",
    "off.role.admin": "Administrator", "off.role.auditor": "Auditor",
    "off.sla.on_track": "On track", "off.sla.warning": "Near the limit", "off.sla.breached": "Past the limit",
    "off.sla.due": "Due {date}", "off.sla.paused": "Clock paused (the applicant holds the file)", "off.sla.finished": "Service finished", "off.sla.not_started": "Not submitted yet",
    "off.sla.used": "{percent} used", "off.sla.days": "{used} of {total} working days used, {left} left",
    "off.sla.predicted": "Expected to be done {date}", "off.sla.pauses": "Pauses", "off.sla.title": "Service time (SLA)",
    "off.file.reload": "Reload", "off.file.to_actions": "Go to actions", "off.file.back": "Back to the queue", "off.file.data": "Application data", "off.file.no_data": "No form data.",
    "off.file.submitted": "Submitted {date}", "off.file.type": "Permit", "off.file.receipt": "Receipt number",
    "off.file.requirements": "Required documents", "off.file.required": "required", "off.file.optional": "optional",
    "off.file.not_uploaded": "Not uploaded yet.", "off.file.on_file": "Status on the file:",
    "off.file.waiting": "Document verdicts reach the file within a few seconds. Not yet accepted on the file: {list}. Press \u201cReload\u201d before verifying.",
    "off.file.revision": "Requested changes", "off.file.survey": "Field survey", "off.file.survey.when": "Scheduled",
    "off.file.survey.where": "Location", "off.file.survey.report": "Survey report", "off.file.fee": "Fee",
    "off.file.invoice": "Invoice (SKRD)", "off.file.invoice.status": "Invoice status", "off.file.invoice.va": "Virtual account",
    "off.file.permit": "Permit", "off.file.certificate": "Download the permit certificate (PDF)", "off.file.certificate_pending": "The certificate is being prepared. Try again in a moment.", "off.permit.valid": "Valid", "off.permit.suspended": "Suspended", "off.permit.revoked": "Revoked", "off.file.permit.number": "Permit number", "off.file.permit.valid": "Validity",
    "off.file.timeline": "History", "off.file.actor": "by {roles}", "off.file.system": "by the system",
    "off.file.sla_at": "SLA used at that moment: {days} working days",
    "off.doc.status.uploaded": "Not reviewed", "off.doc.status.accepted": "Accepted", "off.doc.status.rejected": "Rejected",
    "off.doc.version": "Version {version}", "off.doc.latest": "latest", "off.doc.size": "{size} KB", "off.doc.uploaded": "uploaded {date}",
    "off.doc.reason": "Reason: {reason}", "off.doc.show": "Show document", "off.doc.download": "Download {name}",
    "off.doc.viewer": "Preview of {name}", "off.doc.loading": "Loading the document…",
    "off.doc.fallback": "If the preview does not show, download the file.",
    "off.doc.unsupported": "This kind of file is not shown in the page; please download it.",
    "off.review.accept": "Accept", "off.review.accept_named": "Accept {name}", "off.review.reject": "Reject",
    "off.review.reject_named": "Reject {name}", "off.review.send_reject": "Send rejection", "off.review.send_reject_named": "Send rejection of {name}", "off.review.cancel": "Cancel",
    "off.review.reason": "Reason for rejection", "off.review.reason_hint": "Say what the applicant needs to fix.",
    "off.review.done.accept": "Document accepted.", "off.review.done.reject": "Document rejected.",
    "off.actions.title": "Actions", "off.actions.none": "Your roles have no action on the file at this stage.",
    "off.actions.done": "Saved. File status: {state}.",
    "off.action.create": "Draft created", "off.action.submit": "Submitted by the applicant", "off.action.verify": "Verify the file",
    "off.action.request_revision": "Ask for changes", "off.action.schedule_survey": "Schedule the survey",
    "off.action.report_survey": "Report the survey", "off.action.recommend": "Recommend",
    "off.action.reject": "Reject the application", "off.action.assess_fee": "Assess the fee",
    "off.action.payment_received": "Payment received", "off.action.invoice_closed": "Invoice closed",
    "off.action.approve": "Approve and issue the permit", "off.action.withdraw": "Withdrawn by the applicant", "off.action.archive": "Archived",
    "off.action.permit_valid": "Permit reinstated", "off.action.permit_suspended": "Permit suspended", "off.action.permit_revoked": "Permit revoked",
    "off.action.verify.lead": "Every required document must be accepted. The file then moves to the next stage.",
    "off.action.request_revision.lead": "The file goes back to the applicant; the clock stops until they resubmit.",
    "off.action.schedule_survey.lead": "The applicant is told the date and place of the survey.",
    "off.action.report_survey.lead": "Write the report (berita acara) of the field survey.",
    "off.action.recommend.lead": "The technical team's recommendation to issue the permit.",
    "off.action.reject.lead": "The application is rejected and the file is closed. The applicant gets the reason.",
    "off.action.assess_fee.lead": "The fee is computed from this permit type's fee rule; the applicant then gets an invoice.",
    "off.action.approve.lead": "Your approval issues the permit and signs it electronically.",
    "off.field.note": "Note", "off.field.note.optional": "Note (optional)", "off.field.reason": "Reason",
    "off.field.revision_note": "What needs fixing", "off.field.per_requirement": "Reason per document (fill in only those concerned)",
    "off.field.scheduled_for": "Survey date and time (WIB)", "off.field.location": "Survey location",
    "off.field.report": "Survey report", "off.field.area_m2": "Billboard area (m²)", "off.field.months": "Duration (months)",
    "off.field.location_class": "Location class", "off.field.location_class.option": "Class {class} — {rate} per m² per month",
    "off.field.floor_area_m2": "Floor area (m²)", "off.field.building_index": "Building index",
    "off.field.decimal_hint": "Use a dot for decimals, for example 12.5.",
    "off.fee.free": "This permit is free of charge.", "off.fee.fixed": "Fixed fee {amount}.",
    "off.fee.unit_price": "Unit price {amount} per m².", "off.fee.amount": "Amount", "off.fee.rule_missing": "The fee rule of this permit type could not be loaded.",
    "off.problem.documents_not_accepted": "Not every required document is accepted on the file yet. Press \u201cReload\u201d and try again.",
    "off.problem.documents_missing": "The applicant has not uploaded every required document.",
    "off.problem.reason_required": "Please give a reason.", "off.problem.schedule_required": "Enter the survey date and time.",
    "off.problem.survey_not_scheduled": "Schedule the survey before reporting it.",
    "off.problem.survey_report_required": "Write the survey report.", "off.problem.fee_inputs_required": "Enter the figures for the fee.",
    "off.problem.not_allowed_in_state": "This cannot be done at the file's current stage; another officer may have acted on it. Reload the page.",
    "off.problem.role_not_allowed": "Your role may not do this.",
    "off.problem.forbidden": "Your role may not do this.",
    "off.problem.already_reviewed": "This version was already reviewed. Reload the page.",
    "off.problem.concurrent_change": "The file is changing. Reload and try again.",
    "off.problem.self_disable": "You cannot disable your own account.",
    "off.problem.already_registered": "This email or phone number is already registered.",
    "off.problem.validation_failed": "Some fields need fixing.", "off.problem.not_found": "Not found, or your account may not see it.", "off.problem.network": "Cannot reach the server. Check your connection and try again.", "off.problem.conflict": "The file changed since the page was opened. Reload and check again.",
    "off.problem.field.required": "Required.", "off.problem.field.reason_required": "Please give a reason.",
    "off.problem.field.schedule_required": "Enter the survey date and time.", "off.problem.field.survey_report_required": "Write the survey report.",
    "off.problem.field.roles_empty": "Choose at least one role.", "off.problem.field.minItems": "Choose at least one.",
    "off.problem.field.email_invalid": "This email address is not valid.", "off.problem.field.phone_invalid": "This phone number is not valid.",
    "off.problem.field.password_too_short": "Use at least 8 characters.", "off.problem.field.password_common": "This password is too common; choose another.",
    "off.problem.field.password_related": "The password must not contain the name or email.", "off.problem.field.already_registered": "Already registered.",
    "off.problem.field.choice": "Choose one of the options.", "off.problem.field.number": "Enter a number; use a dot for decimals.",
    "off.problem.field.type": "This value does not fit.", "off.problem.field.integer": "Enter a whole number.",
    "off.problem.field.range": "The value is out of the allowed range.", "off.problem.field.precision": "Too many digits after the dot.",
    "off.problem.field.maxLength": "Too long.", "off.problem.field.minLength": "Required.",
    "off.problem.field.empty": "Required.", "off.problem.field.pattern": "This does not follow the hint's form.", "off.problem.field.duplicate": "Already used in another entry.",
    "off.recon.title": "Daily reconciliation", "off.recon.lead": "Invoices, payments per bank and differences on one WIB calendar day.",
    "off.recon.date": "Date (WIB)", "off.recon.show": "Show", "off.recon.csv": "Download CSV", "off.recon.day": "Reconciliation of {date}",
    "off.recon.banks": "Per bank", "off.recon.bank": "Bank", "off.recon.paid": "Invoices paid", "off.recon.collected": "Collected",
    "off.recon.mismatch": "Amount mismatch", "off.recon.already_paid": "Paid twice", "off.recon.unknown_bill": "Unknown bill",
    "off.recon.expired_or_cancelled": "Expired/cancelled bill", "off.recon.refund": "To refund", "off.recon.total": "Total",
    "off.recon.issued": "Invoices issued", "off.recon.billed": "Amount billed", "off.recon.expired": "Invoices expired",
    "off.recon.expired_amount": "Amount expired", "off.recon.summary": "Summary", "off.recon.no_banks": "No partner bank yet.",
    "off.recon.anomalies": "Differences to follow up", "off.recon.no_anomalies": "No differences on this date.",
    "off.recon.kind": "Kind", "off.recon.invoice": "Invoice number", "off.recon.request": "Bank payment id", "off.recon.at": "Time",
    "off.recon.paid_amount": "Paid", "off.recon.invoice_amount": "Invoice amount",
    "off.recon.kind.amount_mismatch": "Amount does not match", "off.recon.kind.already_paid": "Invoice already paid, paid again",
    "off.recon.kind.unknown_bill": "Unknown virtual account", "off.recon.kind.expired_or_cancelled": "Invoice expired or cancelled",
    "off.recon.downloaded": "CSV file downloaded.",
    "off.invoice.status.open": "Unpaid", "off.invoice.status.paid": "Paid", "off.invoice.status.expired": "Expired", "off.invoice.status.cancelled": "Cancelled",
    "off.invoice.cancel": "Cancel the invoice", "off.invoice.cancel.lead": "For a wrong invoice. The applicant can then ask for a new one; the old VA numbers can no longer be paid.",
    "off.invoice.cancelled": "Invoice {number} cancelled.", "off.invoice.renew": "Issue a new invoice", "off.invoice.renewed": "New invoice {number} issued.",
    "off.permit.change": "Change the permit's status", "off.permit.change.lead": "A suspension can be lifted; a revocation is final. The holder receives the reason and the verification page shows the new status at once.",
    "off.permit.new_status": "New status", "off.permit.to.valid": "Reinstate (valid again)", "off.permit.to.suspended": "Suspend",
    "off.permit.to.revoked": "Revoke", "off.permit.changed": "The permit's status was changed.", "off.problem.permit_revoked": "A revoked permit cannot be changed any more.",
    "off.problem.invoice_not_open": "Only an unpaid invoice can be cancelled.", "off.problem.invoice_renewed": "A new invoice was already issued.",
    "off.users.title": "Officer accounts", "off.users.lead": "Create officer accounts, change their roles, or disable an account.",
    "off.users.create": "Create an officer account", "off.users.email": "Email", "off.users.name": "Full name", "off.users.roles": "Roles",
    "off.users.phone": "Phone number (optional)", "off.users.password": "First password (optional)",
    "off.users.password_hint": "If left empty, the officer gets an email link to set their own password.",
    "off.users.created": "Account {email} created.", "off.users.list": "Accounts", "off.users.status": "Status",
    "off.users.active": "Active", "off.users.disabled": "Disabled", "off.users.edit": "Change", "off.users.edit_named": "Change account {name}",
    "off.users.edit_title": "Change account {name}", "off.users.disable": "Disable this account",
    "off.users.edit_hint": "Changing roles or status ends every session of this account; new roles apply when the officer signs in again.",
    "off.users.save": "Save changes", "off.users.saved": "Account {email} updated.", "off.users.filter": "Show role",
    "off.users.all": "All roles", "off.users.none": "No accounts.",
    "off.types.title": "Permit catalogue", "off.types.lead": "The permits that can be applied for, with their requirements, SLA and fee.", "off.types.new": "New permit type", "off.types.edit": "Edit permit type", "off.banks": "Partner banks", "off.integration": "OSS integration",
    "off.complaints": "Complaints from the satisfaction survey", "off.complaints.lead": "A low survey score or a comment marked as a complaint must be answered; the applicant receives the answer.",
    "off.complaints.open": "Unanswered complaints",
    "off.types.code": "Code", "off.types.name": "Name", "off.types.sla": "SLA", "off.types.sla_days": "{days} working days", "off.types.steps": "Steps",
    "off.types.fee": "Fee", "off.types.requirements": "Requirements", "off.types.detail": "Details", "off.types.detail_named": "Details of {name}",
    "off.types.back": "Back to the catalogue", "off.types.version": "Version {version}", "off.types.validity": "Validity",
    "off.types.months": "{months} months", "off.types.forever": "Unlimited", "off.types.legal": "Legal basis", "off.types.conditions": "Conditions",
    "off.types.fee_rule": "Fee rule", "off.types.file_types": "File types", "off.types.max_size": "Max. size", "off.types.template": "Template",
    "off.types.yes": "Yes", "off.types.no": "No", "off.types.required": "Required",
    "off.step.verify": "Document check", "off.step.survey": "Field survey", "off.step.technical": "Technical review",
    "off.step.fee": "Fee payment", "off.step.approve": "Head's approval",
    "off.rule.free": "Free", "off.rule.fixed": "Fixed fee {amount}", "off.rule.billboard": "Area × months × location class rate (A {A}, B {B}, C {C} per m² per month)",
    "off.rule.building": "Floor area × building index × {amount} per m²",
  },
});

const QUEUE_ROLES = ["frontdesk", "surveyor", "technical", "head"];
const OFFICER_ROLES = ["frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor"];
const OFFICER_ACTIONS = ["verify", "request_revision", "schedule_survey", "report_survey", "recommend", "assess_fee", "approve", "reject"];
const STATES = ["submitted", "revision_requested", "verified", "survey", "technical_review", "recommended",
  "awaiting_payment", "approval", "issued", "rejected", "withdrawn", "archived", "draft"];
// Only these types are ever shown inline; anything else is offered as a download.
const INLINE_TYPES = ["application/pdf", "image/jpeg", "image/png"];
const AUTO_SHOW_BYTES = 10 * 1024 * 1024;
const QUEUE_PAGE = 25;

// --- small helpers ------------------------------------------------------------------------------

const percent = (value) => `${number(value)}%`;

// Blob URLs of shown documents live until the next officer page replaces them.
const blobUrls = new Set();
function forgetBlobs() {
  for (const url of blobUrls) URL.revokeObjectURL(url);
  blobUrls.clear();
}

// The server's words are English and technical; office staff read these instead.
function explained(error) {
  const problem = error.problem || {};
  const code = problem.code;
  // A known code in plain words; else a generic sentence of its kind; the server's own words last.
  const message = code && hasText(`off.problem.${code}`) ? t(`off.problem.${code}`)
    : problem.errors?.length ? t("off.problem.validation_failed")
      : error.status === 403 ? t("off.problem.forbidden")
        : error.status === 409 ? t("off.problem.conflict")
          : error.message;
  const fields = Object.fromEntries((problem.errors || []).map((e) =>
    [e.field, e.code && hasText(`off.problem.field.${e.code}`) ? t(`off.problem.field.${e.code}`) : e.message]));
  return { message, fieldErrors: () => fields };
}

export function problemAt(form, error) {
  showProblem(form, explained(error));
}

// A table in a box of its own: it scrolls sideways, or (stacked) turns into blocks on a phone.
export function scrollTable(label, headers, rows, { stack = false } = {}) {
  const table = h("table", { class: stack ? "off-stack" : null },
    h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", {}, rows));
  if (stack) {
    for (const tableRow of table.tBodies[0].rows) {
      [...tableRow.cells].forEach((cell, index) => index > 0 && headers[index] && cell.setAttribute("data-label", headers[index]));
    }
  }
  return h("div", { role: "region", "aria-label": t("off.table", { label }), tabindex: "0", class: "off-scroll" }, table);
}

export function busy(form, on) {
  for (const button of form.querySelectorAll("button")) button.disabled = on;
  form.setAttribute("aria-busy", on ? "true" : "false");
}

// The signed-in officer, with roles fresh from the server (an admin may have changed them).
// Returns an element to show instead of the page when the person may not see it.
export async function officerGate(roles = OFFICER_ROLES) {
  forgetBlobs();
  const next = encodeURIComponent(location.pathname + location.search);
  const signIn = () => h("section", {}, h("h1", {}, t("off.work.title")),
    h("p", { class: "notice" }, t("off.work.signin"), " ",
      h("a", { href: `/login?next=${next}`, "data-link": true }, t("off.work.signin.link"))));
  if (!session.access) return signIn();
  try {
    session.remember(await api("GET", "/me"));
  } catch (error) {
    if (error.status === 401) return signIn();
    throw error;
  }
  if (!roles.some((role) => session.has(role))) {
    return h("section", {}, h("h1", {}, t("off.work.title")),
      h("p", { class: "problem", role: "alert" }, OFFICER_ROLES.some((r) => session.has(r)) ? t("off.work.forbidden") : t("off.work.no_role")));
  }
  return null;
}

const FINAL_STATES = ["issued", "rejected", "withdrawn", "archived"];

// Percent used with its badge, and what the clock is doing: due date, paused, or done.
function slaView(sla, state) {
  if (!sla) return "–";
  const tone = { on_track: "ok", warning: "warn", breached: "bad" }[sla.state] || "";
  const clock = sla.running ? t("off.sla.due", { date: when(sla.due_at) })
    : FINAL_STATES.includes(state) ? t("off.sla.finished")
      : state === "draft" ? t("off.sla.not_started") : t("off.sla.paused");
  return h("div", {},
    h("span", {}, percent(sla.percent_used), " "),
    h("span", { class: `badge ${tone}` }, t(`off.sla.${sla.state}`)),
    h("div", { class: "hint" }, clock));
}

// Fetches a file with the session's token and hands it to the browser as a download.
function filesTable(label, items) {
  return scrollTable(label, [t("off.work.col.receipt"), t("off.work.col.permit"), t("off.work.col.state"), t("off.work.col.sla")],
    items.map((file) => h("tr", {},
      h("td", {}, h("a", { href: `/work/applications/${file.id}`, "data-link": true, class: "mono",
        "aria-label": t("off.work.open", { receipt: file.receipt_number }) }, file.receipt_number),
        file.submitted_at ? h("div", { class: "hint" }, t("off.file.submitted", { date: when(file.submitted_at, false) })) : null),
      h("td", {}, named(file, "permit_name")),
      h("td", {}, stateBadge(file.state)),
      h("td", {}, slaView(file.sla, file.state)))), { stack: true });
}

// Previous/next links that keep the rest of the URL; `param` names this list's page number.
export function pager(query, page, param = "page") {
  const pages = Math.max(1, Math.ceil(page.total / page.per_page));
  if (pages <= 1) return null;
  const link = (number, key) => {
    const next = new URLSearchParams(query);
    next.set(param, String(number));
    return h("a", { class: "button secondary", href: `${location.pathname}?${next}`, "data-link": true }, t(key));
  };
  return h("nav", { class: "actions", "aria-label": t("off.page.of", { page: page.page, pages }) },
    page.page > 1 ? link(page.page - 1, "off.page.prev") : null,
    h("span", { class: "hint off-center" }, t("off.page.of", { page: page.page, pages })),
    page.page < pages ? link(page.page + 1, "off.page.next") : null);
}

// A page that cannot load says why in plain words (the router would show the server's).
export const safely = (render) => async (params, query) => {
  try {
    return await render(params, query);
  } catch (error) {
    if (!error.problem) throw error;
    return h("section", {}, h("h1", {}, t("off.work.title")),
      h("p", { class: "problem", role: "alert" }, explained(error).message),
      h("p", {}, h("a", { href: "/work", "data-link": true }, `← ${t("off.file.back")}`)));
  }
};

// --- /work: the queues of every role the officer holds -----------------------------------------

route("/work", safely(async (params, query) => {
  const blocked = await officerGate();
  if (blocked) return blocked;
  const queues = QUEUE_ROLES.filter((role) => session.has(role));
  const pageOf = (role) => Math.max(1, Number(query.get(`${role}_page`)) || 1);
  const loaded = await Promise.all(queues.map((role) =>
    api("GET", `/applications?role_queue=${role}&page=${pageOf(role)}&per_page=${QUEUE_PAGE}`)
      .then((page) => ({ role, page }), (error) => ({ role, error }))));
  const sections = loaded.map(({ role, page, error }) => {
    const title = t("off.work.queue", { role: t(`off.role.${role}`) });
    const id = `queue-${role}`;
    return h("section", { class: "card", "aria-labelledby": id },
      h("h2", { id, class: "off-flush" }, title, page ? ` (${page.total})` : "", " ", helpLink(`petugas-${role}`, title)),
      error ? h("p", { class: "problem", role: "alert" }, explained(error).message)
        : page.items.length === 0 ? h("p", { class: "hint" }, t("off.work.empty"))
          : [filesTable(title, page.items), pager(query, page, `${role}_page`)]);
  });
  if (session.has("treasurer")) {
    sections.push(h("section", { class: "card", "aria-labelledby": "work-treasurer" },
      h("h2", { id: "work-treasurer", class: "off-flush" }, t("off.work.treasurer"), " ", helpLink("petugas-treasurer", t("off.work.treasurer"))), h("p", {}, t("off.work.treasurer.lead")),
      h("div", { class: "actions" }, h("a", { class: "button", href: "/work/reconciliation", "data-link": true }, t("off.recon.title")),
        h("a", { class: "button secondary", href: "/work/banks", "data-link": true }, t("off.banks")))));
  }
  if (session.has("admin")) {
    sections.push(h("section", { class: "card", "aria-labelledby": "work-admin" },
      h("h2", { id: "work-admin", class: "off-flush" }, t("off.work.admin"), " ", helpLink("admin", t("off.work.admin"))), h("p", {}, t("off.work.admin.lead")),
      h("div", { class: "actions" },
        h("a", { class: "button", href: "/work/users", "data-link": true }, t("off.users.title")),
        h("a", { class: "button secondary", href: "/work/permit-types", "data-link": true }, t("off.types.title")),
        h("a", { class: "button secondary", href: "/work/banks", "data-link": true }, t("off.banks")),
        h("a", { class: "button secondary", href: "/work/integration", "data-link": true }, t("off.integration")))));
  }
  if (["head", "frontdesk", "admin", "auditor"].some((role) => session.has(role))) {
    // The survey's complaints wait for the office's answer; the head and the front desk give it.
    sections.push(h("section", { class: "card", "aria-labelledby": "work-complaints" },
      h("h2", { id: "work-complaints", class: "off-flush" }, t("off.complaints"), " ", helpLink("petugas#pengaduan", t("off.complaints"))), h("p", {}, t("off.complaints.lead")),
      h("div", { class: "actions" }, h("a", { class: "button secondary", href: "/work/complaints?status=open", "data-link": true }, t("off.complaints.open")),
        ["head", "admin", "auditor"].some((role) => session.has(role))
          ? h("a", { class: "button secondary", href: "/reports", "data-link": true }, t("nav.reports")) : null)));
  }
  if (session.has("auditor")) sections.push(await byState(query));
  return h("section", {}, h("h1", {}, t("off.work.title"), " ", helpLink("petugas#antrean", t("off.work.title"))), queues.length ? h("p", {}, t("off.work.lead")) : null, sections);
}));

// The auditor's read-only lists: one state at a time, chosen in the URL.
async function byState(query) {
  const state = STATES.includes(query.get("state")) ? query.get("state") : "submitted";
  const pageNumber = Math.max(1, Number(query.get("page")) || 1);
  const form = h("form", { class: "actions off-filter" },
    h("div", { class: "off-grow" },
      field("state", t("off.work.state"), { tag: "select", options: STATES.map((s) => h("option", { value: s, selected: s === state }, t(`state.${s}`))) })),
    h("button", { type: "submit" }, t("off.work.show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(`/work?state=${encodeURIComponent(form.elements.state.value)}`);
  });
  let body;
  try {
    const page = await api("GET", `/applications?state=${state}&page=${pageNumber}&per_page=50`);
    body = page.items.length ? [filesTable(t(`state.${state}`), page.items), pager(query, page)] : h("p", { class: "hint" }, t("off.work.empty"));
  } catch (error) {
    body = h("p", { class: "problem", role: "alert" }, explained(error).message);
  }
  return h("section", { class: "card", "aria-labelledby": "work-auditor" },
    h("h2", { id: "work-auditor", class: "off-flush" }, t("off.work.auditor")), h("p", { class: "hint" }, t("off.work.auditor.lead")), form, body);
}

// --- /work/applications/:id: one file -----------------------------------------------------------

route("/work/applications/:id", safely(async ({ id }) => {
  const blocked = await officerGate();
  if (blocked) return blocked;
  const page = h("section", {});
  // Draws the file again from the server; `focus` names what gets focus afterwards.
  const load = async (focus = null) => {
    forgetBlobs();
    const [file, documents] = await Promise.all([
      api("GET", `/applications/${encodeURIComponent(id)}`),
      api("GET", `/applications/${encodeURIComponent(id)}/documents`).then((answer) => answer.items || []),
    ]);
    if (file.invoice && session.has("treasurer")) {
      // Payments knows the invoice now; the file hears of a cancellation by event, a moment later.
      file.invoice = await api("GET", `/applications/${encodeURIComponent(id)}/invoice`).catch(() => file.invoice);
    }
    let rule = file.fee?.rule || null;
    if (!rule && file.allowed_actions?.includes("assess_fee")) {
      rule = await api("GET", `/permit-types/${encodeURIComponent(file.permit_type)}`).then((type) => type.fee_rule, () => null);
    }
    page.replaceChildren(...filePage(file, documents, rule, load).flat().filter(Boolean));
    const target = focus && page.querySelector(focus);
    if (target) target.focus();
  };
  await load();
  return page;
}));

function filePage(file, documents, rule, load) {
  const reload = h("button", { type: "button", class: "secondary", onclick: async () => {
    reload.disabled = true;
    try { await load("#file-title"); } catch (error) { toast(explained(error).message); reload.disabled = false; }
  } }, t("off.file.reload"));
  return [
    h("p", {}, h("a", { href: "/work", "data-link": true }, `← ${t("off.file.back")}`)),
    h("h1", { id: "file-title", tabindex: "-1" }, named(file, "permit_name")),
    h("p", { class: "big mono" }, file.receipt_number),
    h("p", { role: "status" }, stateBadge(file.state), " ",
      file.submitted_at ? h("span", { class: "hint" }, t("off.file.submitted", { date: when(file.submitted_at) })) : null),
    h("div", { class: "actions" }, reload, actionsFor(file).length ? h("button", { type: "button", class: "secondary", onclick: () => {
      // A button, not a #fragment link: a fragment would make the router draw the page again.
      const target = document.getElementById("actions-title");
      target.scrollIntoView({ block: "start" });
      target.focus();
    } }, t("off.file.to_actions")) : null),
    h("div", { class: "grid two" }, slaCard(file.sla, file.state), dataCard(file.data)),
    surveyCard(file), feeCard(file), permitCard(file),
    requirementsSection(file, documents, load),
    actionsSection(file, rule, load),
    timelineSection(file.timeline || []),
  ];
}

function slaCard(sla, state) {
  if (!sla) return h("section", { class: "card" }, h("h2", { class: "off-flush" }, t("off.sla.title")), h("p", {}, "–"));
  return h("section", { class: "card", "aria-labelledby": "sla-title" },
    h("h2", { id: "sla-title", class: "off-flush" }, t("off.sla.title")),
    slaView(sla, state),
    h("div", { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
      "aria-valuenow": String(Math.min(100, Math.round(sla.percent_used))), "aria-label": t("off.sla.used", { percent: percent(sla.percent_used) }), class: "progress off-progress" },
    h("span", { style: `width:${Math.min(100, sla.percent_used)}%` })),
    h("p", { class: "hint" }, t("off.sla.days", { used: number(sla.used_days), total: sla.sla_days, left: number(sla.left_days) })),
    sla.predicted_completion ? h("p", { class: "hint" }, t("off.sla.predicted", { date: when(sla.predicted_completion) })) : null,
    sla.pauses?.length ? [h("h3", {}, t("off.sla.pauses")), h("ul", {}, sla.pauses.map((pause) =>
      h("li", {}, `${when(pause.start)} – ${pause.end ? when(pause.end) : "…"}: ${pause.reason}`)))] : null);
}

const humanize = (key) => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

function dataCard(data = {}) {
  const entries = Object.entries(data || {});
  return h("section", { class: "card", "aria-labelledby": "data-title" },
    h("h2", { id: "data-title", class: "off-flush" }, t("off.file.data")),
    entries.length
      ? h("table", {}, h("tbody", {}, entries.map(([key, value]) =>
        row(humanize(key), typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)))))
      : h("p", { class: "hint" }, t("off.file.no_data")));
}

function surveyCard(file) {
  const survey = file.survey || {};
  if (!survey.scheduled_for && !survey.report) return null;
  return h("section", { class: "card" }, h("h2", { class: "off-flush" }, t("off.file.survey")),
    h("table", {}, h("tbody", {},
      survey.scheduled_for ? row(t("off.file.survey.when"), when(survey.scheduled_for)) : null,
      survey.location ? row(t("off.file.survey.where"), survey.location) : null,
      survey.report ? row(t("off.file.survey.report"), h("div", { class: "off-pre" }, survey.report)) : null)));
}

function feeCard(file) {
  const { fee, invoice } = file;
  if (!fee && !invoice) return null;
  return h("section", { class: "card" },
    fee ? [h("h2", { class: "off-flush" }, t("off.file.fee")), h("p", { class: "big" }, rupiah(fee.amount ?? 0)),
      fee.breakdown?.length ? h("table", {}, h("tbody", {}, fee.breakdown.map((line) =>
        row(`${line.label} (${line.quantity})`, rupiah(line.amount))))) : null] : null,
    invoice ? [h("h2", {}, t("off.file.invoice")), h("table", {}, h("tbody", {},
      row(t("off.recon.invoice"), h("span", { class: "mono" }, invoice.number)),
      row(t("off.fee.amount"), rupiah(invoice.amount)),
      row(t("off.file.invoice.status"), h("span", { class: "badge", "data-invoice-status": invoice.status }, t(`off.invoice.status.${invoice.status}`))),
      (invoice.virtual_accounts || []).map((va) => row(`${t("off.file.invoice.va")} ${va.bank}`, h("span", { class: "mono" }, va.virtual_account_no))))),
    treasuryTools(file, invoice)] : null);
}

// The treasurer cancels a wrong invoice (with a reason) and issues a new one after it ended.
function treasuryTools(file, invoice) {
  if (!session.has("treasurer") || file.state !== "awaiting_payment") return null;
  if (invoice.status === "open") {
    return reasonForm({ id: "invoice-cancel", title: t("off.invoice.cancel"), lead: t("off.invoice.cancel.lead"), danger: true,
      send: ({ reason }) => api("POST", `/invoices/${encodeURIComponent(invoice.number)}/cancel`, { reason }),
      done: () => toast(t("off.invoice.cancelled", { number: invoice.number })) });
  }
  if (invoice.status !== "expired" && invoice.status !== "cancelled") return null;
  const renew = h("button", { type: "button" }, t("off.invoice.renew"));
  renew.addEventListener("click", async () => {
    renew.disabled = true;
    try {
      const issued = await api("POST", `/applications/${encodeURIComponent(file.id)}/invoice/renew`);
      toast(t("off.invoice.renewed", { number: issued.number }));
      await go(location.pathname, true);
    } catch (error) {
      renew.disabled = false;
      toast(explained(error).message);
    }
  });
  return h("div", { class: "actions" }, renew);
}

function permitCard(file) {
  const permit = file.permit;
  if (!permit) return null;
  const certificate = h("button", { type: "button", class: "secondary" }, t("off.file.certificate"));
  certificate.addEventListener("click", async () => {
    certificate.disabled = true;
    try {
      await saveFile(`/applications/${encodeURIComponent(file.id)}/permit/certificate`, `izin-${file.receipt_number}.pdf`);
    } catch (error) {
      // The certificate is drawn and signed just after approval: it may take a moment.
      toast(error.status === 404 ? t("off.file.certificate_pending") : explained(error).message);
    } finally {
      certificate.disabled = false;
    }
  });
  return h("section", { class: "card" }, h("h2", { class: "off-flush" }, t("off.file.permit")),
    h("table", {}, h("tbody", {},
      row(t("off.file.permit.number"), h("span", { class: "mono" }, permit.number)),
      row(t("off.file.permit.valid"), `${when(permit.valid_from, false)} – ${permit.valid_until ? when(permit.valid_until, false) : t("off.types.forever")}`),
      row(t("off.users.status"), h("span", { class: `badge ${permit.status === "valid" ? "ok" : "bad"}` }, t(`off.permit.${permit.status}`))),
      permit.status_reason ? row(t("off.field.reason"), permit.status_reason) : null)),
    h("div", { class: "actions" }, certificate),
    permitStatusForm(file, permit));
}

// The head suspends, reinstates or revokes an issued permit; a revoked one stays revoked.
function permitStatusForm(file, permit) {
  if (!session.has("head") || permit.status === "revoked") return null;
  const choices = ["valid", "suspended", "revoked"].filter((status) => status !== permit.status);
  return reasonForm({ id: "permit-status", title: t("off.permit.change"), lead: t("off.permit.change.lead"),
    choices: choices.map((status) => [status, t(`off.permit.to.${status}`)]), danger: true,
    send: ({ status, reason }) => api("POST", `/applications/${encodeURIComponent(file.id)}/permit/status`, { status, reason }),
    done: () => toast(t("off.permit.changed")) });
}

// A form that asks why before it changes something; the page is drawn again after it.
function reasonForm({ id, title, lead, choices = null, danger = false, send, done }) {
  const form = h("form", { class: "off-version", novalidate: true, "aria-labelledby": id },
    h("h3", { id, class: "off-flush" }, title),
    h("p", { class: "hint" }, lead),
    choices ? field("status", t("off.permit.new_status"), { tag: "select",
      options: choices.map(([value, label]) => h("option", { value }, label)) }) : null,
    field("reason", t("off.field.reason"), { tag: "textarea", rows: "3", maxlength: "2000", required: true, "aria-required": "true" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: danger ? "danger" : null }, title)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    busy(form, true);
    try {
      await send({ status: form.elements.status?.value, reason: form.elements.reason.value.trim() });
      done();
      await go(location.pathname, true);
    } catch (error) {
      busy(form, false);
      problemAt(form, error);
    }
  });
  return form;
}

// --- documents: every version, shown in the page, with the front desk's verdicts --------------

function requirementsSection(file, documents, load) {
  const canReview = session.has("frontdesk") && file.state === "submitted";
  const waiting = file.state === "submitted"
    ? file.requirements.filter((r) => r.required && r.document && r.document.status !== "accepted") : [];
  const acceptedElsewhere = waiting.filter((r) => documents.some((d) => d.id === r.document.document_id && d.status === "accepted"));
  return h("section", { "aria-labelledby": "requirements-title" },
    h("h2", { id: "requirements-title" }, t("off.file.requirements")),
    acceptedElsewhere.length && session.has("frontdesk")
      ? h("p", { class: "notice", role: "status" }, t("off.file.waiting", { list: acceptedElsewhere.map((r) => named(r)).join(", ") })) : null,
    file.requirements.map((requirement) => {
      const versions = documents.filter((d) => d.requirement === requirement.code).sort((a, b) => b.version - a.version);
      const onFile = requirement.document?.status;
      const reason = file.revision?.requirements?.[requirement.code];
      return h("article", { class: "card", "aria-labelledby": `req-${requirement.code}` },
        h("h3", { id: `req-${requirement.code}`, tabindex: "-1", class: "off-flush" }, named(requirement),
          h("span", { class: "hint off-normal" }, ` (${requirement.required ? t("off.file.required") : t("off.file.optional")})`)),
        versions.length ? h("p", {}, t("off.file.on_file"), " ", docBadge(onFile || "uploaded")) : h("p", { class: "hint" }, t("off.file.not_uploaded")),
        reason ? h("p", { class: "notice" }, `${t("off.file.revision")}: ${reason}`) : null,
        versions.map((doc, index) => versionView(file, requirement, doc, index === 0, canReview, load)));
    }));
}

function docBadge(status) {
  const tone = { accepted: "ok", rejected: "bad", uploaded: "warn" }[status] || "";
  return h("span", { class: `badge ${tone}` }, t(`off.doc.status.${status}`));
}

function versionView(file, requirement, doc, latest, canReview, load) {
  const name = `${named(requirement)} — ${t("off.doc.version", { version: doc.version })}`;
  const viewer = h("div", { class: "viewer", "aria-live": "polite" });
  const show = h("button", { type: "button", class: "secondary", "aria-label": `${t("off.doc.show")}: ${name}`,
    onclick: () => { show.remove(); showDocument(doc, name, viewer); } }, t("off.doc.show"));
  // The newest version is what the front desk judges: shown at once while it awaits a verdict
  // (unless it is big); everything else on request, which spares slow links.
  const atOnce = latest && canReview && doc.status === "uploaded" && doc.size <= AUTO_SHOW_BYTES;
  if (atOnce) showDocument(doc, name, viewer);
  return h("div", { class: "off-version" },
    h("p", { class: "off-meta" },
      h("strong", {}, t("off.doc.version", { version: doc.version })), latest ? ` (${t("off.doc.latest")})` : "", " · ",
      h("span", { class: "mono off-break" }, doc.filename), " · ",
      t("off.doc.size", { size: number(doc.size / 1024) }),
      doc.uploaded_at ? ` · ${t("off.doc.uploaded", { date: when(doc.uploaded_at) })}` : "", " ",
      docBadge(doc.status)),
    doc.reason ? h("p", { class: "hint" }, t("off.doc.reason", { reason: doc.reason })) : null,
    atOnce ? null : show,
    viewer,
    canReview && doc.status === "uploaded" ? reviewForm(file, requirement, doc, name, load) : null);
}

async function showDocument(doc, name, viewer) {
  viewer.replaceChildren(h("p", { class: "loading" }, t("off.doc.loading")));
  try {
    const blob = await api("GET", `/documents/${encodeURIComponent(doc.id)}/content`);
    const type = INLINE_TYPES.includes(doc.content_type) ? doc.content_type : "application/octet-stream";
    const url = URL.createObjectURL(new Blob([blob], { type }));
    blobUrls.add(url);
    const download = h("a", { href: url, download: doc.filename, class: "button secondary" }, t("off.doc.download", { name: doc.filename }));
    let shown;
    if (type.startsWith("image/")) {
      shown = h("img", { src: url, alt: t("off.doc.viewer", { name }), class: "off-img" });
    } else if (type === "application/pdf") {
      shown = h("iframe", { src: url, title: t("off.doc.viewer", { name }), class: "off-pdf" });
    } else {
      shown = h("p", { class: "hint" }, t("off.doc.unsupported"));
    }
    viewer.replaceChildren(shown,
      type === "application/pdf" ? h("p", { class: "hint" }, t("off.doc.fallback")) : null,
      h("div", { class: "actions off-tight" }, download));
  } catch (error) {
    viewer.replaceChildren(h("p", { class: "problem", role: "alert" }, explained(error).message));
  }
}

function reviewForm(file, requirement, doc, name, load) {
  const form = h("form", { novalidate: true, class: "review" });
  const reason = field("note", t("off.review.reason"), { tag: "textarea", rows: "2", maxlength: "2000" }, t("off.review.reason_hint"));
  shown(reason, false);
  const accept = h("button", { type: "button", "aria-label": t("off.review.accept_named", { name }) }, t("off.review.accept"));
  const reject = h("button", { type: "button", class: "danger", "aria-label": t("off.review.reject_named", { name }) }, t("off.review.reject"));
  const cancel = h("button", { type: "button", class: "secondary" }, t("off.review.cancel"));
  shown(cancel, false);
  const send = async (decision) => {
    clearProblem(form);
    busy(form, true);
    try {
      const note = form.elements.note.value.trim();
      await api("POST", `/applications/${encodeURIComponent(file.id)}/actions`,
        { action: "review_document", document_id: doc.id, decision, ...(note ? { note } : {}) });
      toast(t(`off.review.done.${decision}`));
      await load(`#${CSS.escape(`req-${requirement.code}`)}`);
    } catch (error) {
      busy(form, false);
      problemAt(form, error);
    }
  };
  accept.addEventListener("click", () => send("accept"));
  reject.addEventListener("click", () => {
    if (reason.hidden) {
      // A rejection needs its reason: the field opens first, the second press sends.
      shown(reason, true);
      shown(cancel, true);
      shown(accept, false);
      reject.textContent = t("off.review.send_reject");
      reject.setAttribute("aria-label", t("off.review.send_reject_named", { name }));
      form.elements.note.focus();
    } else {
      send("reject");
    }
  });
  cancel.addEventListener("click", () => {
    clearProblem(form);
    shown(reason, false);
    shown(cancel, false);
    shown(accept, true);
    reject.textContent = t("off.review.reject");
    reject.setAttribute("aria-label", t("off.review.reject_named", { name }));
    reject.focus();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.append(reason, h("div", { class: "actions off-tight" }, accept, reject, cancel));
  return form;
}

// --- actions the API allows this officer, each as a form with its inputs ------------------------

// The main path first (verify before request_revision), whatever order the API lists them in.
const actionsFor = (file) => OFFICER_ACTIONS.filter((action) => (file.allowed_actions || []).includes(action));

function actionsSection(file, rule, load) {
  const actions = actionsFor(file);
  return h("section", { "aria-labelledby": "actions-title" },
    h("h2", { id: "actions-title", tabindex: "-1" }, t("off.actions.title"), " ", helpLink("petugas#berkas", t("off.actions.title"))),
    actions.length ? actions.map((action) => actionForm(file, action, rule, load)) : h("p", { class: "hint" }, t("off.actions.none")));
}

const note = (label = "off.field.note.optional", required = false) =>
  field("note", t(label), { tag: "textarea", rows: "3", maxlength: "2000", required, "aria-required": required ? "true" : null });

function actionInputs(file, action, rule) {
  switch (action) {
    case "verify":
    case "approve":
      return [note()];
    case "recommend":
      return [note("off.field.note", true)];
    case "reject":
      return [note("off.field.reason", true)];
    case "request_revision":
      return [note("off.field.revision_note", true),
        h("fieldset", { class: "off-fieldset" },
          h("legend", {}, t("off.field.per_requirement")),
          file.requirements.map((requirement) => field(`requirements.${requirement.code}`, named(requirement),
            { maxlength: "500" })))];
    case "schedule_survey":
      return [field("scheduled_for", t("off.field.scheduled_for"), { type: "datetime-local", required: true, "aria-required": "true" }),
        field("location", t("off.field.location"), { maxlength: "300", autocomplete: "off" }),
        note()];
    case "report_survey":
      return [field("report", t("off.field.report"), { tag: "textarea", rows: "6", maxlength: "10000", required: true, "aria-required": "true" }),
        note()];
    case "assess_fee":
      return [...feeInputs(rule), note()];
    default:
      return [note()];
  }
}

function feeInputs(rule) {
  if (!rule) return [h("p", { class: "problem", role: "alert" }, t("off.fee.rule_missing"))];
  const decimal = (name, step) => field(`fee_inputs.${name}`, t(`off.field.${name}`),
    { type: "number", inputmode: "decimal", step, min: "0", required: true, "aria-required": "true" }, t("off.field.decimal_hint"));
  switch (rule.kind) {
    case "billboard":
      return [decimal("area_m2", "0.01"),
        field("fee_inputs.months", t("off.field.months"), { type: "number", inputmode: "numeric", step: "1", min: "1", max: "60", required: true, "aria-required": "true" }),
        field("fee_inputs.location_class", t("off.field.location_class"), { tag: "select", required: true,
          options: ["A", "B", "C"].map((c) => h("option", { value: c }, t("off.field.location_class.option", { class: c, rate: rupiah(rule.rates?.[c] ?? 0) }))) })];
    case "building":
      return [h("p", { class: "hint" }, t("off.fee.unit_price", { amount: rupiah(rule.unit_price) })),
        decimal("floor_area_m2", "0.01"), decimal("building_index", "0.0001")];
    case "fixed":
      return [h("p", {}, t("off.fee.fixed", { amount: rupiah(rule.amount) }))];
    default:
      return [h("p", {}, t("off.fee.free"))];
  }
}

function actionBody(form, action, file, rule) {
  const value = (name) => (form.elements[name]?.value ?? "").trim();
  const body = { action };
  if (value("note")) body.note = value("note");
  if (action === "request_revision") {
    const reasons = Object.fromEntries(file.requirements
      .map((r) => [r.code, value(`requirements.${r.code}`)]).filter(([, reason]) => reason));
    if (Object.keys(reasons).length) body.requirements = reasons;
  } else if (action === "schedule_survey") {
    // The officer picks a local WIB time; the API gets it with its offset.
    const local = value("scheduled_for");
    if (local) body.scheduled_for = `${local.length === 16 ? `${local}:00` : local}+07:00`;
    if (value("location")) body.location = value("location");
  } else if (action === "report_survey") {
    if (value("report")) body.report = value("report");
  } else if (action === "assess_fee") {
    const names = { billboard: ["area_m2", "months", "location_class"], building: ["floor_area_m2", "building_index"] }[rule?.kind] || [];
    body.fee_inputs = Object.fromEntries(names.map((name) => [name, value(`fee_inputs.${name}`) || null]));
  }
  return body;
}

function actionForm(file, action, rule, load) {
  const id = `action-${action}`;
  const form = h("form", { class: "card", novalidate: true, "aria-labelledby": id },
    h("h3", { id, class: "off-flush" }, t(`off.action.${action}`)),
    h("p", { class: "hint" }, t(`off.action.${action}.lead`)),
    actionInputs(file, action, rule),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: action === "reject" ? "danger" : null }, t(`off.action.${action}`))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    busy(form, true);
    try {
      const updated = await api("POST", `/applications/${encodeURIComponent(file.id)}/actions`, actionBody(form, action, file, rule));
      toast(t("off.actions.done", { state: t(`state.${updated.state}`) }));
      await load("#file-title");
    } catch (error) {
      busy(form, false);
      problemAt(form, error);
    }
  });
  return form;
}

function timelineSection(timeline) {
  return h("section", { "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, t("off.file.timeline")),
    h("ol", { class: "timeline card" }, [...timeline].reverse().map((entry) => h("li", {},
      h("strong", {}, hasText(`off.action.${entry.action}`) ? t(`off.action.${entry.action}`) : entry.action),
      entry.from !== entry.to ? [" → ", stateBadge(entry.to)] : null,
      h("div", { class: "hint" }, when(entry.at), " · ",
        entry.actor_roles?.length && !entry.actor_roles.includes("system")
          ? t("off.file.actor", { roles: entry.actor_roles.map((r) => t(`off.role.${r}`)).join(", ") }) : t("off.file.system"),
        entry.sla_used_days != null ? ` · ${t("off.file.sla_at", { days: number(entry.sla_used_days) })}` : ""),
      entry.note ? h("div", { class: "off-pre" }, entry.note) : null))));
}

// --- /work/reconciliation: the treasurer's day -------------------------------------------------

const todayInJakarta = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());

route("/work/reconciliation", safely(async (params, query) => {
  const blocked = await officerGate(["treasurer", "head", "admin", "auditor"]);
  if (blocked) return blocked;
  const asked = query.get("date");
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asked || "") ? asked : todayInJakarta();
  const form = h("form", { class: "card", novalidate: true },
    h("div", { class: "actions off-filter off-flush" },
      h("div", { class: "off-grow" }, field("date", t("off.recon.date"), { type: "date", value: day, required: true, max: todayInJakarta() })),
      h("button", { type: "submit" }, t("off.recon.show"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = form.elements.date.value;
    if (picked) go(`/work/reconciliation?date=${picked}`);
  });
  const result = h("div", {});
  try {
    const report = await api("GET", `/reports/reconciliation?date=${day}`);
    result.replaceChildren(...reconciliation(report));
  } catch (error) {
    problemAt(form, error);
  }
  return h("section", {}, h("h1", {}, t("off.recon.title"), " ", helpLink("petugas-treasurer#rekonsiliasi", t("off.recon.title"))), h("p", {}, t("off.recon.lead")), form, result);
}));

function reconciliation(report) {
  const totals = report.totals;
  const num = (value) => h("td", { class: "off-num" }, value);
  const bankRow = (bank, label, strong = false) => h("tr", {},
    h(strong ? "th" : "td", strong ? { scope: "row" } : {}, label),
    num(String(bank.paid)), num(rupiah(bank.collected)),
    num(String(bank.amount_mismatch)), num(String(bank.already_paid)),
    num(String(bank.unknown_bill)), num(String(bank.expired_or_cancelled)),
    num(rupiah(bank.refund_amount)));
  const numRow = (label, value) => h("tr", {}, h("th", { scope: "row" }, label), num(value));
  const csv = h("button", { type: "button", class: "secondary" }, t("off.recon.csv"));
  csv.addEventListener("click", async () => {
    csv.disabled = true;
    try {
      await saveFile(`/reports/reconciliation?date=${report.day}&format=csv`, `rekonsiliasi-${report.day}.csv`);
      toast(t("off.recon.downloaded"));
    } catch (error) {
      toast(explained(error).message);
    } finally {
      csv.disabled = false;
    }
  });
  const headers = [t("off.recon.bank"), t("off.recon.paid"), t("off.recon.collected"), t("off.recon.mismatch"), t("off.recon.already_paid"),
    t("off.recon.unknown_bill"), t("off.recon.expired_or_cancelled"), t("off.recon.refund")];
  return [
    h("h2", {}, t("off.recon.day", { date: when(`${report.day}T12:00:00+07:00`, false) })),
    h("section", { class: "card", "aria-labelledby": "recon-summary" },
      h("h3", { id: "recon-summary", class: "off-flush" }, t("off.recon.summary")),
      h("table", { class: "off-summary" }, h("tbody", {},
        numRow(t("off.recon.issued"), String(totals.issued)), numRow(t("off.recon.billed"), rupiah(totals.billed)),
        numRow(t("off.recon.collected"), h("strong", {}, rupiah(totals.collected))),
        numRow(t("off.recon.expired"), String(totals.expired)), numRow(t("off.recon.expired_amount"), rupiah(totals.expired_amount)),
        numRow(t("off.recon.refund"), rupiah(totals.refund_amount))))),
    h("section", { class: "card", "aria-labelledby": "recon-banks" },
      h("h3", { id: "recon-banks", class: "off-flush" }, t("off.recon.banks")),
      report.banks.length ? null : h("p", { class: "hint" }, t("off.recon.no_banks")),
      h("div", { role: "region", "aria-label": t("off.table", { label: t("off.recon.banks") }), tabindex: "0", class: "off-scroll" },
        h("table", {},
          h("thead", {}, h("tr", {}, headers.map((header, index) => h("th", { scope: "col", class: index ? "off-num" : null }, header)))),
          h("tbody", {}, report.banks.map((bank) => bankRow(bank, bank.bank))),
          h("tfoot", {}, bankRow(totals, t("off.recon.total"), true)))),
      h("div", { class: "actions" }, csv)),
    h("section", { class: "card", "aria-labelledby": "recon-anomalies" },
      h("h3", { id: "recon-anomalies", class: "off-flush" }, t("off.recon.anomalies")),
      report.anomalies.length
        ? scrollTable(t("off.recon.anomalies"), [t("off.recon.kind"), t("off.recon.bank"), t("off.recon.invoice"), t("off.recon.request"), t("off.recon.at"),
          t("off.recon.paid_amount"), t("off.recon.invoice_amount"), t("off.recon.refund")],
        report.anomalies.map((a) => h("tr", {},
          h("td", {}, h("span", { class: "badge bad" }, t(`off.recon.kind.${a.kind}`))), h("td", {}, a.bank),
          h("td", { class: "mono" }, a.invoice_number || "–"), h("td", { class: "mono" }, a.payment_request_id || "–"),
          h("td", {}, when(a.at)), num(rupiah(a.paid_amount)),
          num(a.invoice_amount == null ? "–" : rupiah(a.invoice_amount)), num(rupiah(a.refund_amount)))))
        : h("p", { class: "hint" }, t("off.recon.no_anomalies"))),
  ];
}

// --- /work/users: officer accounts (admin) -----------------------------------------------------

const ASSIGNABLE = ["frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor"];

function rolesField(name, chosen = []) {
  return h("fieldset", { "data-field": "roles", class: "off-fieldset" },
    h("legend", {}, t("off.users.roles")),
    ASSIGNABLE.map((role) => {
      const id = `${name}-${role}`;
      return h("div", { class: "off-check" },
        h("input", { type: "checkbox", id, name: "roles", value: role, checked: chosen.includes(role), class: "off-box" }),
        h("label", { for: id, class: "off-check-label off-normal" }, t(`off.role.${role}`)));
    }),
    h("div", { class: "field-error" }));
}

const checkedRoles = (form) => [...form.querySelectorAll('input[name="roles"]:checked')].map((box) => box.value);

route("/work/users", safely(async (params, query) => {
  const blocked = await officerGate(["admin"]);
  if (blocked) return blocked;
  const role = ASSIGNABLE.concat("applicant").includes(query.get("role")) ? query.get("role") : "";
  const pageNumber = Math.max(1, Number(query.get("page")) || 1);
  const list = await api("GET", `/users?page=${pageNumber}&per_page=50${role ? `&role=${role}` : ""}`);
  const editor = h("div", { "aria-live": "polite" });
  const reload = () => go(location.pathname + location.search, true);

  const create = h("form", { class: "card", novalidate: true, "aria-labelledby": "users-create" },
    h("h2", { id: "users-create", class: "off-flush" }, t("off.users.create")),
    h("div", { class: "grid two" },
      field("email", t("off.users.email"), { type: "email", required: true, "aria-required": "true", autocomplete: "off" }),
      field("name", t("off.users.name"), { required: true, "aria-required": "true", autocomplete: "off", maxlength: "120" })),
    rolesField("new-role"),
    h("div", { class: "grid two" },
      field("phone", t("off.users.phone"), { type: "tel", autocomplete: "off" }),
      field("password", t("off.users.password"), { type: "password", autocomplete: "new-password" }, t("off.users.password_hint"))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("off.users.create"))));
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(create);
    const value = (name) => create.elements[name].value.trim();
    const body = { email: value("email"), name: value("name"), roles: checkedRoles(create) };
    if (value("phone")) body.phone = value("phone");
    if (create.elements.password.value) body.password = create.elements.password.value;
    busy(create, true);
    try {
      const made = await api("POST", "/users", body);
      toast(t("off.users.created", { email: made.email }));
      await reload();
    } catch (error) {
      busy(create, false);
      problemAt(create, error);
    }
  });

  const filter = h("form", { class: "actions off-filter" },
    h("div", { class: "off-grow" }, field("role", t("off.users.filter"), { tag: "select",
      options: [h("option", { value: "" }, t("off.users.all")), ...ASSIGNABLE.concat("applicant").map((r) =>
        h("option", { value: r, selected: r === role }, t(`off.role.${r}`)))] })),
    h("button", { type: "submit", class: "secondary" }, t("off.work.show")));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = filter.elements.role.value;
    go(picked ? `/work/users?role=${picked}` : "/work/users");
  });

  const edit = (user) => {
    const form = h("form", { class: "card", novalidate: true, "aria-labelledby": "users-edit" },
      h("h2", { id: "users-edit", tabindex: "-1", class: "off-flush" }, t("off.users.edit_title", { name: user.name })),
      h("p", { class: "mono" }, user.email),
      h("p", { class: "hint" }, t("off.users.edit_hint")),
      rolesField(`edit-${user.id}`, user.roles),
      h("div", { "data-field": "disabled", class: "off-check off-gap" },
        h("input", { type: "checkbox", id: `disable-${user.id}`, name: "disabled", checked: user.disabled, class: "off-box" }),
        h("label", { for: `disable-${user.id}`, class: "off-check-label" }, t("off.users.disable")),
        h("div", { class: "field-error" })),
      h("div", { class: "actions" },
        h("button", { type: "submit" }, t("off.users.save")),
        h("button", { type: "button", class: "secondary", onclick: () => editor.replaceChildren() }, t("off.review.cancel"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblem(form);
      const body = {};
      // Roles this form does not offer (applicant) stay as they are.
      const roles = [...checkedRoles(form), ...user.roles.filter((r) => !ASSIGNABLE.includes(r))];
      if (roles.slice().sort().join() !== [...user.roles].sort().join()) body.roles = roles;
      if (form.elements.disabled.checked !== Boolean(user.disabled)) body.disabled = form.elements.disabled.checked;
      if (!Object.keys(body).length) { editor.replaceChildren(); return; }
      busy(form, true);
      try {
        const saved = await api("PATCH", `/users/${encodeURIComponent(user.id)}`, body);
        toast(t("off.users.saved", { email: saved.email }));
        await reload();
      } catch (error) {
        busy(form, false);
        problemAt(form, error);
      }
    });
    editor.replaceChildren(form);
    form.querySelector("h2").focus();
  };

  const table = list.items.length ? scrollTable(t("off.users.list"), [t("off.users.name"), t("off.users.roles"), t("off.users.status"), ""],
    list.items.map((user) => h("tr", {},
      h("td", {}, h("strong", {}, user.name), h("div", { class: "hint off-break" }, user.email)),
      h("td", {}, user.roles.flatMap((r) => [h("span", { class: "badge" }, t(`off.role.${r}`)), " "])),
      h("td", {}, h("span", { class: `badge ${user.disabled ? "bad" : "ok"}` }, user.disabled ? t("off.users.disabled") : t("off.users.active"))),
      h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": t("off.users.edit_named", { name: user.name }),
        onclick: () => edit(user) }, t("off.users.edit"))))), { stack: true })
    : h("p", { class: "hint" }, t("off.users.none"));

  return h("section", {},
    h("h1", {}, t("off.users.title"), " ", helpLink("admin#akun-petugas", t("off.users.title"))), h("p", {}, t("off.users.lead")),
    editor,
    h("section", { class: "card", "aria-labelledby": "users-list" },
      h("h2", { id: "users-list", class: "off-flush" }, t("off.users.list"), ` (${list.total})`),
      filter, table, pager(query, list)),
    create);
}));

// --- /work/permit-types: the catalogue (admin); editing lives in admin.js --------------------------------------

function steps(type) {
  // The list has no fee rule, only its summary; a type's own page knows whether a fee is paid.
  const paid = type.fee_rule && type.fee_rule.kind !== "free";
  return [t("off.step.verify"), type.needs_survey ? t("off.step.survey") : null, type.needs_technical ? t("off.step.technical") : null,
    paid ? t("off.step.fee") : null, t("off.step.approve")].filter(Boolean).join(" → ");
}

function ruleText(rule) {
  if (!rule) return "–";
  if (rule.kind === "fixed") return t("off.rule.fixed", { amount: rupiah(rule.amount) });
  if (rule.kind === "billboard") return t("off.rule.billboard", { A: rupiah(rule.rates?.A ?? 0), B: rupiah(rule.rates?.B ?? 0), C: rupiah(rule.rates?.C ?? 0) });
  if (rule.kind === "building") return t("off.rule.building", { amount: rupiah(rule.unit_price) });
  return t("off.rule.free");
}

route("/work/permit-types", safely(async () => {
  const blocked = await officerGate(["admin"]);
  if (blocked) return blocked;
  const { items } = await api("GET", "/permit-types");
  return h("section", {},
    h("h1", {}, t("off.types.title"), " ", helpLink("admin#jenis-izin", t("off.types.title"))),
    h("p", {}, t("off.types.lead")),
    h("div", { class: "actions" }, h("a", { class: "button", href: "/work/new-permit-type", "data-link": true }, t("off.types.new"))),
    scrollTable(t("off.types.title"), [t("off.types.code"), t("off.types.name"), t("off.types.sla"), t("off.types.steps"), t("off.types.fee"), t("off.types.requirements")],
      items.map((type) => h("tr", {},
        h("td", { class: "mono" }, type.code),
        h("td", {}, h("a", { href: `/work/permit-types/${encodeURIComponent(type.code)}`, "data-link": true,
          "aria-label": t("off.types.detail_named", { name: named(type) }) }, named(type))),
        h("td", {}, t("off.types.sla_days", { days: type.sla_working_days })),
        h("td", {}, steps(type)),
        h("td", {}, named(type, "fee_summary")),
        h("td", {}, String(type.requirement_count)))), { stack: true }));
}));

route("/work/permit-types/:code", safely(async ({ code }) => {
  const blocked = await officerGate(["admin"]);
  if (blocked) return blocked;
  const type = await api("GET", `/permit-types/${encodeURIComponent(code)}`);
  const yes = (value) => (value ? t("off.types.yes") : t("off.types.no"));
  return h("section", {},
    h("p", {}, h("a", { href: "/work/permit-types", "data-link": true }, `← ${t("off.types.back")}`)),
    h("h1", {}, named(type)),
    h("div", { class: "actions" }, h("a", { class: "button", href: `/work/permit-types/${encodeURIComponent(type.code)}/edit`, "data-link": true },
      t("off.types.edit"))),
    h("p", {}, h("span", { class: "mono" }, type.code), type.version ? ` · ${t("off.types.version", { version: type.version })}` : ""),
    h("p", {}, named(type, "description")),
    h("section", { class: "card" }, h("table", {}, h("tbody", {},
      row(t("off.types.sla"), t("off.types.sla_days", { days: type.sla_working_days })),
      row(t("off.types.steps"), steps(type)),
      row(t("off.step.survey"), yes(type.needs_survey)),
      row(t("off.step.technical"), yes(type.needs_technical)),
      row(t("off.types.fee"), named(type, "fee_summary")),
      row(t("off.types.fee_rule"), ruleText(type.fee_rule)),
      row(t("off.types.validity"), type.validity_months ? t("off.types.months", { months: type.validity_months }) : t("off.types.forever"))))),
    h("h2", {}, t("off.types.requirements")),
    scrollTable(t("off.types.requirements"), [t("off.types.code"), t("off.types.name"), t("off.types.required"), t("off.types.file_types"), t("off.types.max_size")],
      type.requirements.map((requirement) => h("tr", {},
        h("td", { class: "mono" }, requirement.code),
        h("td", {}, h("strong", {}, named(requirement)), h("div", { class: "hint" }, requirement.description),
          requirement.template_url ? h("a", { href: requirement.template_url, rel: "noopener" }, t("off.types.template")) : null),
        h("td", {}, yes(requirement.required)),
        h("td", {}, requirement.file_types.map((kind) => kind.toUpperCase()).join(", ")),
        h("td", {}, `${requirement.max_size_mb} MB`)))),
    type.legal_basis?.length ? [h("h2", {}, t("off.types.legal")), h("ul", {}, type.legal_basis.map((basis) => h("li", {}, basis)))] : null,
    type.conditions?.length ? [h("h2", {}, t("off.types.conditions")), h("ul", {}, type.conditions.map((text) => h("li", {}, text)))] : null);
}));
