// Pages of the applicant: sign in and register, own files, the application wizard, one file
// (documents, SLA, invoice, permit), and the inbox. Every page loads its own data from its URL.
import { ApiError, api, saveFile, session, upload } from "../api.js";
import { go, route } from "../router.js";
import { addStrings, hasText, lang, named, number, rupiah, t, when } from "../i18n.js";
import { clearProblem, field, h, helpLink, row, showProblem, shown, stateBadge, toast } from "../ui.js";

addStrings({
  id: {
    // sign in, register, contacts
    "login.title": "Masuk", "login.lead": "Masuk dengan email atau NIK dan kata sandi yang Anda buat saat mendaftar.",
    "login.id": "Email atau NIK", "login.password": "Kata sandi", "login.submit": "Masuk",
    "login.new": "Belum punya akun?", "login.register": "Daftar sekarang",
    "register.title": "Daftar akun pemohon",
    "register.lead": "Akun ini dipakai untuk mengajukan izin, memantau berkas, dan mengunduh surat izin. Isi sesuai KTP Anda.",
    "register.nik": "NIK (Nomor Induk Kependudukan)", "register.nik_hint": "16 angka, tertera pada KTP Anda.",
    "register.name": "Nama lengkap", "register.name_hint": "Sesuai KTP. Nama ini tercetak pada surat izin.",
    "register.email": "Email", "register.email_hint": "Kode verifikasi dan pemberitahuan dikirim ke email ini.",
    "register.phone": "Nomor HP", "register.phone_hint": "Contoh: 0812 3456 7890. Kode verifikasi dikirim lewat SMS.",
    "register.password": "Kata sandi", "register.password_hint": "Paling sedikit 8 karakter. Jangan memakai nama, email, atau NIK Anda.",
    "register.submit": "Daftar", "register.have": "Sudah punya akun?", "register.login": "Masuk di sini",
    "register.done": "Pendaftaran berhasil. Selamat datang!",
    "verify.c.title": "Verifikasi email dan nomor HP",
    "verify.c.lead": "Kami telah mengirim kode 6 angka ke email dan ke nomor HP Anda. Masukkan kode yang Anda terima untuk memastikan kontak itu milik Anda.",
    "verify.c.code": "Kode verifikasi (6 angka)", "verify.c.submit": "Verifikasi",
    "verify.c.email": "Email", "verify.c.phone": "Nomor HP",
    "verify.c.yes": "sudah terverifikasi", "verify.c.no": "belum terverifikasi",
    "verify.c.resend_email": "Kirim ulang kode ke email", "verify.c.resend_phone": "Kirim ulang kode ke nomor HP",
    "verify.c.sent_email": "Kode baru telah dikirim ke email Anda.", "verify.c.sent_phone": "Kode baru telah dikirim ke nomor HP Anda.",
    "verify.c.ok_email": "Email Anda sudah terverifikasi.", "verify.c.ok_phone": "Nomor HP Anda sudah terverifikasi.",
    "verify.c.all": "Email dan nomor HP Anda sudah terverifikasi. Terima kasih.",
    "verify.c.later": "Anda dapat memverifikasi nanti dan langsung mengajukan izin sekarang.",
    "verify.c.catalogue": "Lihat jenis izin", "verify.c.mine": "Ke Berkas Saya",
    "logout.done": "Anda telah keluar.",
    "signin.needed": "Silakan masuk terlebih dahulu.",
    // dashboard
    "mine.title": "Berkas Saya", "mine.lead": "Semua permohonan izin Anda dan posisinya saat ini.",
    "mine.new": "Ajukan izin baru", "mine.empty": "Anda belum memiliki permohonan. Pilih jenis izin yang Anda perlukan untuk memulai.",
    "mine.open": "Lihat rincian", "mine.continue": "Lanjutkan draf", "mine.more": "Tampilkan lebih banyak",
    "mine.officer": "Akun Anda adalah akun petugas. Berkas yang perlu Anda proses ada di Antrean Kerja.",
    "sla.left": "sisa {days} hari kerja", "sla.due": "batas {date}", "sla.predicted": "Perkiraan selesai: {date}",
    "sla.breached": "Melewati batas waktu layanan", "sla.paused": "Waktu layanan berhenti sementara (menunggu Anda)",
    "sla.notsent": "Belum dikirim", "sla.done": "Selesai dalam {days} hari kerja", "sla.stopped": "Diproses selama {days} hari kerja",
    // the wizard and one file
    "apply.title": "Ajukan {name}", "apply.drafts": "Anda sudah memiliki draf permohonan izin ini. Lanjutkan draf itu, atau buat permohonan baru.",
    "apply.new": "Buat permohonan baru", "apply.officer": "Permohonan izin hanya dapat diajukan dengan akun pemohon.",
    "file.receipt": "Nomor tanda terima", "file.receipt_draft": "Nomor ini aktif setelah permohonan dikirim. Simpan untuk melacak berkas Anda.",
    "file.receipt_hint": "Simpan nomor ini. Dengan nomor ini siapa pun dapat melacak status berkas tanpa masuk.",
    "file.back": "Kembali ke Berkas Saya",
    "file.step1": "Langkah 1 dari 2: unggah dokumen persyaratan", "file.step2": "Langkah 2 dari 2: kirim permohonan",
    "next.draft": "Unggah semua dokumen wajib, lalu kirim permohonan.",
    "next.submitted": "Permohonan Anda sudah kami terima. Petugas akan memeriksa kelengkapan dan keabsahan dokumen. Kabar berikutnya dikirim ke Kotak Masuk Anda.",
    "next.revision_requested": "Petugas meminta perbaikan. Baca catatan di bawah, unggah dokumen yang sudah diperbaiki, lalu kirim perbaikan.",
    "next.verified": "Dokumen Anda lengkap dan sah. Berkas diteruskan ke tahap berikutnya.",
    "next.survey": "Petugas akan melakukan survei lapangan ke lokasi.",
    "next.technical_review": "Tim teknis sedang mengkaji permohonan Anda.",
    "next.recommended": "Permohonan Anda direkomendasikan untuk disetujui.",
    "next.awaiting_payment": "Silakan bayar retribusi melalui salah satu nomor virtual account di bawah sebelum batas waktunya.",
    "next.approval": "Permohonan Anda menunggu persetujuan dan tanda tangan Kepala Dinas.",
    "next.issued": "Izin Anda sudah terbit. Unduh surat izin di bawah.",
    "next.rejected": "Permohonan Anda ditolak.", "next.withdrawn": "Anda telah membatalkan permohonan ini.",
    "next.archived": "Berkas ini sudah selesai dan diarsipkan.",
    "file.reason": "Alasan: {note}",
    "revision.title": "Yang perlu diperbaiki",
    "survey.when": "Survei lapangan dijadwalkan pada {date}", "survey.where": "Lokasi: {place}",
    "req.title": "Dokumen persyaratan", "req.required": "wajib", "req.optional": "tidak wajib",
    "req.files": "Berkas {types}, paling besar {size} MB", "req.template": "Unduh contoh/format",
    "req.none": "Belum ada dokumen.", "req.current": "Dokumen saat ini:",
    "req.doc": "{name} · {size} · versi {version}",
    "doc.uploaded": "menunggu pemeriksaan", "doc.accepted": "diterima", "doc.rejected": "ditolak",
    "req.choose": "Pilih berkas: {name}", "req.upload": "Unggah", "req.upload_again": "Unggah versi baru",
    "req.uploading": "Mengunggah… {percent}%", "req.progress": "Kemajuan unggahan {name}",
    "req.done": "Berhasil diunggah: {name} ({size}), versi {version}.",
    "req.refused": "Berkas tidak dapat diterima.", "req.missing": "Dokumen wajib ini belum diunggah.",
    "req.download": "Unduh", "req.fix": "Perlu diperbaiki: {reason}",
    "submit.count": "{done} dari {total} dokumen wajib sudah diunggah.",
    "submit.button": "Kirim permohonan", "submit.resend": "Kirim perbaikan",
    "submit.sending": "Mengirim…", "submit.done": "Permohonan terkirim. Nomor tanda terima: {receipt}",
    "sla.title": "Waktu layanan", "sla.used": "Terpakai", "sla.left_label": "Sisa", "sla.due_label": "Batas waktu",
    "sla.predicted_label": "Perkiraan selesai", "sla.of": "{used} dari {total} hari kerja", "sla.days": "{days} hari kerja",
    "sla.bar": "Waktu layanan terpakai", "sla.pauses": "Waktu berhenti sementara",
    "sla.pause": "{start} – {end}: {reason}", "sla.now": "sekarang",
    "sla.explain": "Waktu layanan dihitung dalam hari kerja (Senin–Jumat, di luar hari libur nasional dan cuti bersama) dan berhenti selama berkas menunggu Anda.",
    "pause.revision": "menunggu perbaikan berkas oleh pemohon", "pause.payment": "menunggu pembayaran retribusi",
    "history.title": "Riwayat berkas", "history.by": "oleh {who}",
    "who.applicant": "Anda", "who.frontdesk": "petugas verifikasi", "who.surveyor": "tim survei", "who.technical": "tim teknis",
    "who.head": "Kepala Dinas", "who.treasurer": "bendahara", "who.admin": "admin", "who.auditor": "auditor", "who.system": "sistem",
    "action.create": "Draf dibuat", "action.schedule_survey": "Survei dijadwalkan", "action.review_document": "Dokumen diperiksa",
    "action.invoice_closed": "Tagihan ditutup (kedaluwarsa atau dibatalkan); tagihan baru dapat diminta",
    "withdraw.button": "Batalkan permohonan",
    "withdraw.confirm": "Yakin membatalkan permohonan ini? Berkas yang dibatalkan tidak diproses lagi. Bila masih memerlukan izin, Anda harus mengajukan permohonan baru.",
    "withdraw.note": "Alasan pembatalan (tidak wajib)", "withdraw.yes": "Ya, batalkan permohonan", "withdraw.no": "Tidak, kembali",
    "withdraw.done": "Permohonan telah dibatalkan.",
    // invoice
    "invoice.title": "Tagihan retribusi (SKRD)", "invoice.number": "Nomor SKRD", "invoice.amount": "Jumlah yang harus dibayar",
    "invoice.expires": "Bayar sebelum {date}", "invoice.item": "Rincian", "invoice.qty": "Jumlah", "invoice.price": "Tarif",
    "invoice.subtotal": "Biaya", "invoice.va": "Nomor virtual account", "invoice.copy": "Salin nomor", "invoice.copied": "Nomor virtual account disalin.",
    "invoice.status.open": "Belum dibayar", "invoice.status.paid": "Sudah dibayar", "invoice.status.expired": "Kedaluwarsa",
    "invoice.status.cancelled": "Dibatalkan",
    "invoice.expired": "Tagihan ini sudah melewati batas waktu pembayaran. Minta tagihan baru untuk mendapatkan nomor virtual account yang baru.",
    "invoice.renew": "Minta tagihan baru", "invoice.renewed": "Tagihan baru telah diterbitkan.",
    "invoice.none": "Tagihan sedang disiapkan. Muat ulang halaman ini beberapa saat lagi.",
    "invoice.honest": "Bayar hanya ke nomor virtual account resmi di atas, sebesar jumlah tagihan. Kantor tidak memungut biaya lain dan tidak menerima pembayaran melalui perorangan. Setelah bank menerima pembayaran, status berkas berubah otomatis; Anda tidak perlu mengirim bukti bayar.",
    "pay.title": "Cara membayar",
    "pay.atm": "ATM", "pay.mobile": "Mobile banking", "pay.internet": "Internet banking", "pay.teller": "Teller bank",
    "pay.atm.steps": "Masukkan kartu ATM dan PIN Anda.\nPilih menu Transaksi Lainnya, lalu Pembayaran atau Transfer, lalu Virtual Account.\nMasukkan nomor virtual account di atas.\nPeriksa nama tagihan dan jumlahnya. Jumlah harus sama persis dengan tagihan.\nPilih Benar/Ya untuk membayar, lalu simpan struk sebagai bukti.",
    "pay.mobile.steps": "Buka aplikasi mobile banking bank Anda dan masuk.\nPilih menu Bayar atau Transfer, lalu Virtual Account.\nMasukkan nomor virtual account di atas.\nPeriksa nama tagihan dan jumlahnya, lalu konfirmasi dengan PIN Anda.\nSimpan bukti pembayaran yang muncul di layar.",
    "pay.internet.steps": "Masuk ke situs internet banking bank Anda.\nPilih menu Pembayaran atau Transfer, lalu Virtual Account.\nMasukkan nomor virtual account di atas dan periksa rincian tagihan.\nKonfirmasi dengan token atau kode OTP.\nSimpan atau cetak bukti pembayaran.",
    "pay.teller.steps": "Datang ke kantor cabang bank mitra pada jam layanan.\nIsi formulir pembayaran dengan nomor virtual account dan jumlah tagihan di atas.\nSerahkan formulir dan uang pembayaran kepada teller.\nSimpan slip bukti pembayaran dari teller.",
    // permit
    "permit.title": "Surat izin", "permit.number": "Nomor izin", "permit.validity": "Masa berlaku",
    "permit.until": "{from} sampai {until}", "permit.forever": "sejak {from}, selama memenuhi ketentuan",
    "permit.status": "Status", "permit.status.valid": "Berlaku", "permit.status.suspended": "Dibekukan", "permit.status.revoked": "Dicabut",
    "permit.verify": "Halaman cek keaslian izin", "permit.download": "Unduh surat izin (PDF)",
    "permit.preparing": "Surat izin sedang disiapkan. Coba unduh lagi beberapa saat lagi.",
    "permit.verify_hint": "Siapa pun dapat memeriksa keaslian izin ini dengan kode {code} atau memindai kode QR pada surat izin.",
    // inbox
    "inbox.title": "Kotak Masuk", "inbox.unread": "{count} belum dibaca", "inbox.empty": "Belum ada pesan.",
    "inbox.open": "Lihat permohonan", "inbox.more": "Tampilkan pesan lama", "inbox.new": "baru",
    // problems in plain words
    "p.network": "Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.",
    "p.validation": "Ada isian yang perlu diperbaiki. Lihat keterangan di bawah isian yang ditandai.",
    "p.invalid_credentials": "Email/NIK atau kata sandi salah. Periksa kembali lalu coba lagi.",
    "p.too_many_attempts": "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
    "p.account_disabled": "Akun ini dinonaktifkan. Silakan hubungi kantor DPMPTSP.",
    "p.already_registered": "Data ini sudah terdaftar. Bila itu akun Anda, silakan masuk.",
    "p.already_verified": "Kontak ini sudah terverifikasi.",
    "p.documents_missing": "Permohonan belum dapat dikirim. Dokumen wajib berikut belum diunggah: {names}.",
    "p.not_allowed_in_state": "Langkah ini tidak dapat dilakukan pada status berkas saat ini. Muat ulang halaman untuk melihat status terbaru.",
    "p.concurrent_upload": "Unggahan lain untuk persyaratan ini sedang berjalan. Coba lagi sebentar lagi.",
    "p.upload_malformed": "Berkas tidak terkirim dengan utuh. Silakan unggah lagi.",
    "p.401": "Sesi Anda telah berakhir. Silakan masuk kembali.", "p.403": "Akun Anda tidak berhak melakukan langkah ini.",
    "p.404": "Data tidak ditemukan, atau bukan milik akun Anda.", "p.409": "Status berkas sudah berubah. Muat ulang halaman untuk melihat status terbaru.",
    "p.413": "Berkas terlalu besar.", "p.429": "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    "p.5xx": "Layanan sedang sibuk atau terganggu. Silakan coba lagi beberapa saat lagi.",
    "p.retry": "Coba lagi",
    "e.required": "Wajib diisi.", "e.minLength": "Wajib diisi.", "e.maxLength": "Isian terlalu panjang.",
    "e.nik_length": "NIK harus 16 angka. Periksa kembali NIK pada KTP Anda.",
    "e.nik_digits": "NIK hanya berisi angka 0–9, tanpa spasi atau tanda baca.",
    "e.nik_province": "Dua angka pertama NIK bukan kode provinsi. Periksa kembali NIK pada KTP Anda.",
    "e.nik_regency": "Angka ke-3 dan ke-4 NIK (kode kabupaten/kota) tidak boleh 00.",
    "e.nik_district": "Angka ke-5 dan ke-6 NIK (kode kecamatan) tidak boleh 00.",
    "e.nik_birth_date": "Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang benar. Periksa kembali NIK pada KTP Anda.",
    "e.nik_serial": "Empat angka terakhir NIK tidak boleh 0000.",
    "e.email_invalid": "Alamat email tidak benar. Contoh penulisan: nama@contoh.id",
    "e.phone_invalid": "Nomor HP tidak benar. Gunakan nomor Indonesia, contoh 0812 3456 7890.",
    "e.password_too_short": "Kata sandi paling sedikit 8 karakter.", "e.password_too_long": "Kata sandi paling banyak 128 karakter.",
    "e.password_related": "Kata sandi tidak boleh memuat nama, email, atau NIK Anda.",
    "e.password_common": "Kata sandi ini terlalu mudah ditebak. Pilih kata sandi lain.",
    "e.nik.already_registered": "NIK ini sudah terdaftar. Silakan masuk, atau hubungi kantor bila Anda belum pernah mendaftar.",
    "e.email.already_registered": "Email ini sudah terdaftar. Silakan masuk dengan email ini.",
    "e.phone.already_registered": "Nomor HP ini sudah terdaftar pada akun lain.",
    "e.code.pattern": "Kode terdiri dari 6 angka.", "e.code_invalid": "Kode salah atau sudah kedaluwarsa. Periksa kembali, atau minta kode baru.",
    "e.choose": "Pilih berkas terlebih dahulu.",
    "e.empty": "Berkas kosong. Pilih berkas yang berisi dokumen.",
    "e.too_large": "Berkas terlalu besar. Ukuran paling besar {size} MB. Perkecil berkas (misalnya pindai dengan resolusi lebih rendah), lalu unggah lagi.",
    "e.type_not_allowed": "Jenis berkas ini tidak diterima untuk persyaratan ini. Gunakan berkas {types}.",
    "e.type_unknown": "Jenis berkas tidak dikenali. Gunakan berkas {types}.",
    "e.executable": "Berkas ini berisi program dan tidak dapat diterima demi keamanan.",
    "e.polyglot": "Isi berkas ini tidak wajar sehingga tidak dapat diterima. Simpan ulang dokumen sebagai {types}, lalu unggah lagi.",
    "e.active_content": "PDF ini memuat skrip atau isi aktif yang tidak diizinkan. Simpan ulang sebagai PDF biasa, lalu unggah lagi.",
    "e.truncated": "Berkas tidak utuh (mungkin terputus saat disimpan atau diunduh). Simpan ulang, lalu unggah lagi.",
  },
  en: {
    "login.title": "Sign in", "login.lead": "Sign in with the email or NIK and the password you chose when you registered.",
    "login.id": "Email or NIK", "login.password": "Password", "login.submit": "Sign in",
    "login.new": "No account yet?", "login.register": "Register now",
    "register.title": "Register as an applicant",
    "register.lead": "You use this account to apply for permits, follow your files and download your permits. Fill it in as on your identity card (KTP).",
    "register.nik": "NIK (national identity number)", "register.nik_hint": "16 digits, printed on your KTP.",
    "register.name": "Full name", "register.name_hint": "As on your KTP. This name is printed on the permit.",
    "register.email": "Email", "register.email_hint": "Verification codes and notices are sent to this address.",
    "register.phone": "Mobile number", "register.phone_hint": "For example 0812 3456 7890. A verification code is sent by SMS.",
    "register.password": "Password", "register.password_hint": "At least 8 characters. Do not use your name, email or NIK.",
    "register.submit": "Register", "register.have": "Already registered?", "register.login": "Sign in here",
    "register.done": "You are registered. Welcome!",
    "verify.c.title": "Verify your email and mobile number",
    "verify.c.lead": "We sent a 6-digit code to your email and to your mobile number. Enter a code you received to confirm that the contact is yours.",
    "verify.c.code": "Verification code (6 digits)", "verify.c.submit": "Verify",
    "verify.c.email": "Email", "verify.c.phone": "Mobile number",
    "verify.c.yes": "verified", "verify.c.no": "not verified yet",
    "verify.c.resend_email": "Send a new code to my email", "verify.c.resend_phone": "Send a new code to my phone",
    "verify.c.sent_email": "A new code was sent to your email.", "verify.c.sent_phone": "A new code was sent to your phone.",
    "verify.c.ok_email": "Your email is verified.", "verify.c.ok_phone": "Your mobile number is verified.",
    "verify.c.all": "Your email and mobile number are verified. Thank you.",
    "verify.c.later": "You can verify later and apply for a permit now.",
    "verify.c.catalogue": "See the permits", "verify.c.mine": "Go to My files",
    "logout.done": "You have signed out.",
    "signin.needed": "Please sign in first.",
    "mine.title": "My files", "mine.lead": "All your permit applications and where each one is now.",
    "mine.new": "Apply for a new permit", "mine.empty": "You have no applications yet. Choose the permit you need to start.",
    "mine.open": "See details", "mine.continue": "Continue the draft", "mine.more": "Show more",
    "mine.officer": "This is an officer account. The files you work on are in the Work queue.",
    "sla.left": "{days} working days left", "sla.due": "due {date}", "sla.predicted": "Expected completion: {date}",
    "sla.breached": "Past the service deadline", "sla.paused": "Service clock paused (waiting for you)",
    "sla.notsent": "Not sent yet", "sla.done": "Done in {days} working days", "sla.stopped": "Processed for {days} working days",
    "apply.title": "Apply for {name}", "apply.drafts": "You already have a draft application for this permit. Continue it, or start a new application.",
    "apply.new": "Start a new application", "apply.officer": "Only applicant accounts can apply for permits.",
    "file.receipt": "Receipt number", "file.receipt_draft": "This number becomes active once you send the application. Keep it to track your file.",
    "file.receipt_hint": "Keep this number. Anyone can track the file's status with it, without signing in.",
    "file.back": "Back to My files",
    "file.step1": "Step 1 of 2: upload the required documents", "file.step2": "Step 2 of 2: send the application",
    "next.draft": "Upload every required document, then send the application.",
    "next.submitted": "We have received your application. An officer will check that your documents are complete and valid. News goes to your Inbox.",
    "next.revision_requested": "The officer asks you to fix something. Read the note below, upload the corrected documents, then send the correction.",
    "next.verified": "Your documents are complete and valid. The file moves on to the next step.",
    "next.survey": "Officers will visit the site for a field survey.",
    "next.technical_review": "The technical team is reviewing your application.",
    "next.recommended": "Your application is recommended for approval.",
    "next.awaiting_payment": "Please pay the fee to one of the virtual account numbers below before the deadline.",
    "next.approval": "Your application awaits the Head of Office's approval and signature.",
    "next.issued": "Your permit has been issued. Download it below.",
    "next.rejected": "Your application was rejected.", "next.withdrawn": "You withdrew this application.",
    "next.archived": "This file is finished and archived.",
    "file.reason": "Reason: {note}",
    "revision.title": "What needs fixing",
    "survey.when": "Field survey scheduled for {date}", "survey.where": "Place: {place}",
    "req.title": "Required documents", "req.required": "required", "req.optional": "optional",
    "req.files": "{types} files, at most {size} MB", "req.template": "Download the template",
    "req.none": "No document yet.", "req.current": "Current document:",
    "req.doc": "{name} · {size} · version {version}",
    "doc.uploaded": "awaiting review", "doc.accepted": "accepted", "doc.rejected": "rejected",
    "req.choose": "Choose a file: {name}", "req.upload": "Upload", "req.upload_again": "Upload a new version",
    "req.uploading": "Uploading… {percent}%", "req.progress": "Upload progress of {name}",
    "req.done": "Uploaded: {name} ({size}), version {version}.",
    "req.refused": "The file cannot be accepted.", "req.missing": "This required document is not uploaded yet.",
    "req.download": "Download", "req.fix": "Needs fixing: {reason}",
    "submit.count": "{done} of {total} required documents uploaded.",
    "submit.button": "Send the application", "submit.resend": "Send the correction",
    "submit.sending": "Sending…", "submit.done": "Application sent. Receipt number: {receipt}",
    "sla.title": "Service time", "sla.used": "Used", "sla.left_label": "Left", "sla.due_label": "Deadline",
    "sla.predicted_label": "Expected completion", "sla.of": "{used} of {total} working days", "sla.days": "{days} working days",
    "sla.bar": "Service time used", "sla.pauses": "Clock pauses",
    "sla.pause": "{start} – {end}: {reason}", "sla.now": "now",
    "sla.explain": "Service time counts working days (Monday to Friday, without national holidays and collective leave) and stops while the file waits for you.",
    "pause.revision": "waiting for the applicant's correction", "pause.payment": "waiting for the fee payment",
    "history.title": "File history", "history.by": "by {who}",
    "who.applicant": "you", "who.frontdesk": "the verification officer", "who.surveyor": "the survey team", "who.technical": "the technical team",
    "who.head": "the Head of Office", "who.treasurer": "the treasurer", "who.admin": "an admin", "who.auditor": "an auditor", "who.system": "the system",
    "action.create": "Draft created", "action.schedule_survey": "Survey scheduled", "action.review_document": "Document reviewed",
    "action.invoice_closed": "Invoice closed (expired or cancelled); a new one can be requested",
    "withdraw.button": "Withdraw the application",
    "withdraw.confirm": "Withdraw this application? A withdrawn file is not processed any more. If you still need the permit you will have to apply again.",
    "withdraw.note": "Reason for withdrawing (optional)", "withdraw.yes": "Yes, withdraw it", "withdraw.no": "No, go back",
    "withdraw.done": "The application was withdrawn.",
    "invoice.title": "Fee invoice (SKRD)", "invoice.number": "SKRD number", "invoice.amount": "Amount to pay",
    "invoice.expires": "Pay before {date}", "invoice.item": "Item", "invoice.qty": "Quantity", "invoice.price": "Rate",
    "invoice.subtotal": "Fee", "invoice.va": "Virtual account number", "invoice.copy": "Copy number", "invoice.copied": "Virtual account number copied.",
    "invoice.status.open": "Not paid yet", "invoice.status.paid": "Paid", "invoice.status.expired": "Expired",
    "invoice.status.cancelled": "Cancelled",
    "invoice.expired": "This invoice is past its payment deadline. Ask for a new invoice to get new virtual account numbers.",
    "invoice.renew": "Ask for a new invoice", "invoice.renewed": "A new invoice was issued.",
    "invoice.none": "The invoice is being prepared. Reload this page in a moment.",
    "invoice.honest": "Pay only to the official virtual account numbers above, exactly the invoiced amount. The office charges nothing else and takes no payment through individuals. Once the bank receives the payment the file moves on by itself; you do not need to send a receipt.",
    "pay.title": "How to pay",
    "pay.atm": "ATM", "pay.mobile": "Mobile banking", "pay.internet": "Internet banking", "pay.teller": "Bank teller",
    "pay.atm.steps": "Insert your card and enter your PIN.\nChoose Other Transactions, then Payment or Transfer, then Virtual Account.\nEnter the virtual account number above.\nCheck the invoice name and amount. The amount must match the invoice exactly.\nConfirm the payment and keep the slip.",
    "pay.mobile.steps": "Open your bank's mobile banking app and sign in.\nChoose Pay or Transfer, then Virtual Account.\nEnter the virtual account number above.\nCheck the invoice name and amount, then confirm with your PIN.\nKeep the receipt shown on screen.",
    "pay.internet.steps": "Sign in to your bank's internet banking site.\nChoose Payment or Transfer, then Virtual Account.\nEnter the virtual account number above and check the invoice.\nConfirm with your token or OTP code.\nSave or print the receipt.",
    "pay.teller.steps": "Go to a branch of a partner bank during opening hours.\nFill in a payment form with the virtual account number and the amount above.\nHand the form and the money to the teller.\nKeep the teller's receipt.",
    "permit.title": "Permit", "permit.number": "Permit number", "permit.validity": "Validity",
    "permit.until": "{from} to {until}", "permit.forever": "from {from}, as long as the conditions are met",
    "permit.status": "Status", "permit.status.valid": "Valid", "permit.status.suspended": "Suspended", "permit.status.revoked": "Revoked",
    "permit.verify": "Permit verification page", "permit.download": "Download the permit (PDF)",
    "permit.preparing": "The permit document is being prepared. Try again in a moment.",
    "permit.verify_hint": "Anyone can check that this permit is genuine with the code {code} or by scanning the QR code on the permit.",
    "inbox.title": "Inbox", "inbox.unread": "{count} unread", "inbox.empty": "No messages yet.",
    "inbox.open": "See the application", "inbox.more": "Show older messages", "inbox.new": "new",
    "p.network": "Cannot reach the server. Check your connection and try again.",
    "p.validation": "Some fields need fixing. See the notes under the marked fields.",
    "p.invalid_credentials": "The email/NIK or password is wrong. Check them and try again.",
    "p.too_many_attempts": "Too many failed sign-ins. Try again in {minutes} minutes.",
    "p.account_disabled": "This account is disabled. Please contact the DPMPTSP office.",
    "p.already_registered": "This is already registered. If it is your account, please sign in.",
    "p.already_verified": "This contact is already verified.",
    "p.documents_missing": "The application cannot be sent yet. These required documents are not uploaded: {names}.",
    "p.not_allowed_in_state": "This step is not possible in the file's current state. Reload the page to see the latest state.",
    "p.concurrent_upload": "Another upload for this requirement is in progress. Try again in a moment.",
    "p.upload_malformed": "The file did not arrive whole. Please upload it again.",
    "p.401": "Your session has ended. Please sign in again.", "p.403": "Your account may not take this step.",
    "p.404": "Not found, or not yours.", "p.409": "The file's state has changed. Reload the page to see the latest state.",
    "p.413": "The file is too large.", "p.429": "Too many requests. Wait a moment and try again.",
    "p.5xx": "The service is busy or disturbed. Please try again in a moment.",
    "p.retry": "Try again",
    "e.required": "Required.", "e.minLength": "Required.", "e.maxLength": "Too long.",
    "e.nik_length": "A NIK has 16 digits. Check the NIK on your KTP.",
    "e.nik_digits": "A NIK has digits 0–9 only, without spaces or punctuation.",
    "e.nik_province": "The first two digits of the NIK are not a province code. Check the NIK on your KTP.",
    "e.nik_regency": "Digits 3 and 4 of the NIK (regency or city code) cannot be 00.",
    "e.nik_district": "Digits 5 and 6 of the NIK (district code) cannot be 00.",
    "e.nik_birth_date": "Digits 7 to 12 of the NIK are not a real birth date. Check the NIK on your KTP.",
    "e.nik_serial": "The last four digits of the NIK cannot be 0000.",
    "e.email_invalid": "This email address is not valid. For example: name@example.id",
    "e.phone_invalid": "This mobile number is not valid. Use an Indonesian number, for example 0812 3456 7890.",
    "e.password_too_short": "Use at least 8 characters.", "e.password_too_long": "Use at most 128 characters.",
    "e.password_related": "The password cannot contain your name, email or NIK.",
    "e.password_common": "This password is too easy to guess. Choose another one.",
    "e.nik.already_registered": "This NIK is already registered. Sign in, or contact the office if you never registered.",
    "e.email.already_registered": "This email is already registered. Sign in with it.",
    "e.phone.already_registered": "This mobile number is already registered to another account.",
    "e.code.pattern": "The code has 6 digits.", "e.code_invalid": "The code is wrong or has expired. Check it, or ask for a new one.",
    "e.choose": "Choose a file first.",
    "e.empty": "The file is empty. Choose a file with the document in it.",
    "e.too_large": "The file is too large: at most {size} MB. Make it smaller (for example scan at a lower resolution) and upload it again.",
    "e.type_not_allowed": "This kind of file is not accepted for this requirement. Use a {types} file.",
    "e.type_unknown": "The kind of file is not recognised. Use a {types} file.",
    "e.executable": "This file contains a program and cannot be accepted, for safety.",
    "e.polyglot": "This file's content is unusual, so it cannot be accepted. Save the document again as {types} and upload it.",
    "e.active_content": "This PDF contains scripts or active content, which are not allowed. Save it as a plain PDF and upload it again.",
    "e.truncated": "The file is incomplete (perhaps cut off while saving or downloading). Save it again and upload it.",
  },
});

// --- small helpers ------------------------------------------------------------------------

const FINAL = ["issued", "rejected", "withdrawn", "archived"];
const EDITABLE = ["draft", "revision_requested"];

function bytes(size) {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${number(size / 1024)} KB`;
  return `${number(size / 1024 / 1024)} MB`;
}

// Long numbers (permit numbers, virtual accounts) wrap instead of widening a phone's page.
const WRAP = "overflow-wrap: anywhere";
const typeNames = (types) => types.map((kind) => kind.toUpperCase()).join(", ");
const ACCEPT = { pdf: ".pdf,application/pdf", jpeg: ".jpg,.jpeg,image/jpeg", png: ".png,image/png" };
const EXTENSIONS = { pdf: ["pdf"], jpeg: ["jpg", "jpeg"], png: ["png"] };

// A local path to go to after signing in: never another site.
function safeNext(value) {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : null;
}

// One field's error in plain words: by field and code, by code, else the server's words.
function fieldMessage(error, values = {}) {
  for (const key of [`e.${error.field}.${error.code}`, `e.${error.code}`]) if (hasText(key)) return t(key, values);
  return error.message;
}

// The problem of a failed call in plain words, in the shape `showProblem` reads.
function plain(error, values = {}) {
  const problem = error.problem || {};
  const errors = problem.errors || [];
  const fields = Object.fromEntries(errors.map((e) => [e.field, fieldMessage(e, values)]));
  let message;
  if (!(error instanceof ApiError)) message = t("error.generic");
  else if (error.status === 0) message = t("p.network");
  else if (problem.code === "too_many_attempts") {
    message = t("p.too_many_attempts", { minutes: Math.max(1, Math.ceil((problem.retry_after || 60) / 60)) });
  } else if (hasText(`p.${problem.code}`)) message = t(`p.${problem.code}`, values);
  else if (error.status === 422 && errors.length) message = t("p.validation");
  else if (hasText(`p.${error.status}`)) message = t(`p.${error.status}`);
  else if (error.status >= 500) message = t("p.5xx");
  else message = t("error.generic");
  return { message, status: error.status, problem, fieldErrors: () => fields };
}

function problemBox(error, retry = true) {
  return h("div", { class: "problem", role: "alert" }, plain(error).message,
    retry ? h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => go(location.pathname + location.search, true) },
        t("p.retry"))) : null);
}

// Pages that need a signed-in person: otherwise to the sign-in page, and back here after.
function signInFirst() {
  const next = location.pathname + location.search;
  setTimeout(() => go(`/login?next=${encodeURIComponent(next)}`, true));
  return h("p", { class: "loading" }, t("signin.needed"));
}

function signedIn(render) {
  return async (params, query) => {
    if (!session.access) return signInFirst();
    try {
      if (!session.user) session.remember(await api("GET", "/me"));
      return await render(params, query);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        session.clear();
        toast(t("error.session"));
        return signInFirst();
      }
      if (error instanceof ApiError) return h("section", {}, problemBox(error));
      throw error;
    }
  };
}

// The `hidden` attribute loses to the stylesheet's display rules of buttons and action rows.
const busy = (button, on, text) => {
  button.disabled = on;
  if (text) button.textContent = text;
};

async function download(path, filename, button, onProblem) {
  button.disabled = true;
  try {
    await saveFile(path, filename);
  } catch (error) {
    onProblem(error);
  } finally {
    button.disabled = false;
  }
}

// --- sign in, register, verify contacts, sign out -----------------------------------------

async function signInWith(email, password) {
  session.save(await api("POST", "/auth/login", { email, password }));
  const me = await api("GET", "/me");
  session.remember(me);
  return me;
}

const landing = (me) => ((me.roles || []).includes("applicant") ? "/applications" : "/work");

route("/login", (params, query) => {
  const form = h("form", { class: "card", novalidate: true },
    field("email", t("login.id"), { autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" }),
    field("password", t("login.password"), { type: "password", autocomplete: "current-password", required: true }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("login.submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearProblem(form);
    busy(button, true);
    try {
      const me = await signInWith(form.elements.email.value.trim(), form.elements.password.value);
      await go(safeNext(query.get("next")) || landing(me));
    } catch (error) {
      session.clear();
      showProblem(form, plain(error));
      busy(button, false);
    }
  });
  return h("section", {},
    h("h1", {}, t("login.title"), " ", helpLink("daftar#masuk", t("login.title"))),
    safeNext(query.get("next")) ? h("p", { class: "notice" }, t("signin.needed")) : null,
    h("p", {}, t("login.lead")),
    form,
    h("p", {}, t("login.new"), " ", h("a", { href: "/register", "data-link": true }, t("login.register"))));
});

route("/register", () => {
  const form = h("form", { class: "card", novalidate: true },
    field("nik", t("register.nik"), { inputmode: "numeric", autocomplete: "off", maxlength: 16, required: true, class: "mono" },
      t("register.nik_hint")),
    field("name", t("register.name"), { autocomplete: "name", required: true, maxlength: 120 }, t("register.name_hint")),
    field("email", t("register.email"), { type: "email", autocomplete: "email", required: true, autocapitalize: "none" },
      t("register.email_hint")),
    field("phone", t("register.phone"), { type: "tel", autocomplete: "tel", required: true, inputmode: "tel" },
      t("register.phone_hint")),
    field("password", t("register.password"), { type: "password", autocomplete: "new-password", required: true },
      t("register.password_hint")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("register.submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const value = (name) => form.elements[name].value.trim();
    const body = { nik: value("nik").replace(/[\s.-]/g, ""), name: value("name"), email: value("email"),
      phone: value("phone"), password: form.elements.password.value, language: lang() };
    clearProblem(form);
    busy(button, true);
    try {
      await api("POST", "/auth/register", body);
      await signInWith(body.email, body.password);
      toast(t("register.done"));
      await go("/verify-contact");
    } catch (error) {
      showProblem(form, plain(error));
      busy(button, false);
    }
  });
  return h("section", {},
    h("h1", {}, t("register.title"), " ", helpLink("daftar", t("register.title"))),
    h("p", {}, t("register.lead")),
    form,
    h("p", {}, t("register.have"), " ", h("a", { href: "/login", "data-link": true }, t("register.login"))));
});

route("/verify-contact", signedIn(async () => {
  let me = await api("GET", "/me");
  session.remember(me);
  const status = h("ul", { class: "card" });
  const resend = h("div", { class: "actions" });
  const done = h("p", { class: "notice", role: "status", hidden: true });
  const form = h("form", { class: "card", novalidate: true },
    field("code", t("verify.c.code"), { inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, required: true,
      class: "mono big", pattern: "[0-9]{6}" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("verify.c.submit"))),
    resend);

  const draw = () => {
    const contacts = [["email", me.email, me.email_verified], ["phone", me.phone, me.phone_verified]].filter(([, v]) => v);
    status.replaceChildren(...contacts.map(([channel, value, verified]) => h("li", {},
      h("strong", {}, t(`verify.c.${channel}`)), ": ", h("span", { class: "mono" }, value), " — ",
      h("span", { class: `badge ${verified ? "ok" : "warn"}` }, t(verified ? "verify.c.yes" : "verify.c.no")))));
    resend.replaceChildren(...contacts.filter(([, , verified]) => !verified).map(([channel]) =>
      h("button", { type: "button", class: "secondary", onclick: (event) => resendCode(channel, event.currentTarget) },
        t(`verify.c.resend_${channel}`))));
    const all = contacts.every(([, , verified]) => verified);
    form.hidden = all;
    if (all) { done.hidden = false; done.textContent = t("verify.c.all"); }
  };

  async function resendCode(channel, button) {
    clearProblem(form);
    busy(button, true);
    try {
      await api("POST", "/auth/verify/resend", { channel });
      toast(t(`verify.c.sent_${channel}`));
    } catch (error) {
      showProblem(form, plain(error));
    } finally {
      busy(button, false);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const code = form.elements.code.value.replace(/\s/g, "");
    clearProblem(form);
    if (!/^[0-9]{6}$/.test(code)) {
      showProblem(form, { message: t("p.validation"), fieldErrors: () => ({ code: t("e.code.pattern") }) });
      return;
    }
    busy(button, true);
    try {
      const before = me;
      me = await api("POST", "/auth/verify", { code });
      session.remember(me);
      const channel = !before.email_verified && me.email_verified ? "email" : "phone";
      done.hidden = false;
      done.textContent = t(`verify.c.ok_${channel}`);
      form.elements.code.value = "";
      draw();
    } catch (error) {
      showProblem(form, plain(error));
    } finally {
      busy(button, false);
    }
  });

  draw();
  return h("section", {},
    h("h1", {}, t("verify.c.title"), " ", helpLink("daftar#verifikasi", t("verify.c.title"))),
    h("p", {}, t("verify.c.lead")),
    status, done, form,
    h("p", { class: "hint" }, t("verify.c.later")),
    h("div", { class: "actions" },
      h("a", { class: "button", href: "/", "data-link": true }, t("verify.c.catalogue")),
      h("a", { class: "button secondary", href: "/applications", "data-link": true }, t("verify.c.mine"))));
}));

route("/logout", async () => {
  if (session.access) await api("POST", "/auth/logout").catch(() => null);
  session.clear();
  toast(t("logout.done"));
  setTimeout(() => go("/", true));
  return h("p", { class: "loading" }, t("logout.done"));
});

// --- the dashboard ------------------------------------------------------------------------

// "sisa 3,2 hari kerja · batas 12 Juni 2026 16.00 WIB", or why the clock is not running.
function slaLine(file) {
  const sla = file.sla;
  if (file.state === "draft" || !sla || !file.submitted_at) return t("sla.notsent");
  if (FINAL.includes(file.state)) {
    return t(["issued", "archived"].includes(file.state) ? "sla.done" : "sla.stopped", { days: number(sla.used_days) });
  }
  if (sla.state === "breached") return `${t("sla.breached")} · ${t("sla.due", { date: when(sla.due_at) })}`;
  if (!sla.running) return t("sla.paused");
  return `${t("sla.left", { days: number(Math.max(0, sla.left_days)) })} · ${t("sla.due", { date: when(sla.due_at) })}`;
}

const slaTone = (sla) => (sla?.state === "breached" ? "bad" : sla?.state === "warning" ? "warn" : "");

function fileCard(file) {
  const predicted = file.sla?.predicted_completion && !FINAL.includes(file.state) && file.sla.running;
  return h("article", { class: "card", "data-receipt": file.receipt_number },
    h("h2", {}, h("a", { href: `/applications/${file.id}`, "data-link": true }, named(file, "permit_name"))),
    h("p", { class: "mono", style: WRAP }, file.receipt_number),
    h("p", {}, stateBadge(file.state)),
    h("p", {}, h("span", { class: `badge ${slaTone(file.sla)}` }, slaLine(file))),
    predicted ? h("p", { class: "hint" }, t("sla.predicted", { date: when(file.sla.predicted_completion, false) })) : null,
    h("div", { class: "actions" },
      h("a", { class: "button secondary", href: `/applications/${file.id}`, "data-link": true },
        t(file.state === "draft" ? "mine.continue" : "mine.open"))));
}

route("/applications", signedIn(async () => {
  const officer = !session.has("applicant") && (session.user?.roles || []).length;
  const head = [h("h1", {}, t("mine.title"), " ", helpLink("lacak", t("mine.title"))), h("p", {}, t("mine.lead"))];
  if (officer) {
    return h("section", {}, ...head, h("p", { class: "notice" }, t("mine.officer"), " ",
      h("a", { href: "/work", "data-link": true }, t("nav.queue"))));
  }
  const list = h("div", { class: "grid two" });
  const more = h("button", { type: "button", class: "secondary" }, t("mine.more"));
  let page = 0;
  let count = 0;
  const load = async () => {
    const data = await api("GET", `/applications?page=${++page}&per_page=20`);
    list.append(...data.items.map(fileCard));
    count += data.items.length;
    shown(more, count < data.total && data.items.length > 0);
    return data;
  };
  more.addEventListener("click", async () => {
    busy(more, true);
    try { await load(); } catch (error) { more.after(problemBox(error, false)); } finally { busy(more, false); }
  });
  const first = await load();
  return h("section", {}, ...head,
    h("div", { class: "actions" }, h("a", { class: "button", href: "/", "data-link": true }, t("mine.new"))),
    first.total ? list : h("p", { class: "notice" }, t("mine.empty")),
    h("div", { class: "actions" }, more));
}));

// --- the wizard: a draft, then the file's page with its uploads -----------------------------

route("/apply/:code", signedIn(async ({ code }) => {
  const type = await api("GET", `/permit-types/${encodeURIComponent(code)}`);
  const title = h("h1", {}, t("apply.title", { name: named(type, "name") }));
  if (!session.has("applicant")) {
    return h("section", {}, title, h("p", { class: "notice" }, t("apply.officer")));
  }
  const create = async () => {
    const draft = await api("POST", "/applications", { permit_type: type.code });
    // The draft lives at its own address from now on: a reload resumes it, never a new one.
    history.replaceState({}, "", `/applications/${draft.id}`);
    return filePage(draft.id, draft);
  };
  const { items } = await api("GET", "/applications?per_page=100");
  const drafts = items.filter((file) => file.state === "draft" && file.permit_type === type.code);
  if (!drafts.length) return create();
  const start = h("button", { type: "button" }, t("apply.new"));
  const section = h("section", {}, title, h("p", { class: "notice" }, t("apply.drafts")),
    ...drafts.map(fileCard), h("div", { class: "actions" }, start));
  start.addEventListener("click", async () => {
    busy(start, true);
    try {
      const page = await create();
      section.replaceWith(page);
    } catch (error) {
      start.after(problemBox(error, false));
      busy(start, false);
    }
  });
  return section;
}));

route("/applications/:id", signedIn(({ id }) => filePage(id)));

async function filePage(id, known = null) {
  const file = known && known.requirements ? known : await api("GET", `/applications/${encodeURIComponent(id)}`);
  const editable = EDITABLE.includes(file.state);
  const uploaded = new Set(file.requirements.filter((r) => r.document).map((r) => r.code));
  const required = file.requirements.filter((r) => r.required);

  const submitBox = editable ? submitSection(file, required, uploaded) : null;
  const onUploaded = (code) => { uploaded.add(code); submitBox?.refresh(); };
  const requirements = h("div", {}, h("h2", {}, t(file.state === "draft" ? "file.step1" : "req.title"), " ", helpLink("dokumen", t("req.title"))),
    ...file.requirements.map((requirement) => requirementCard(file, requirement, editable, onUploaded)));

  return h("section", { class: "file" },
    h("p", {}, h("a", { href: "/applications", "data-link": true }, "← ", t("file.back"))),
    h("h1", {}, named(file, "permit_name")),
    h("div", { class: "card" },
      h("div", {}, t("file.receipt")),
      h("p", { class: "big mono", style: WRAP, "data-testid": "receipt" }, file.receipt_number),
      h("p", {}, stateBadge(file.state)),
      h("p", { class: "hint" }, t(file.state === "draft" ? "file.receipt_draft" : "file.receipt_hint"))),
    nextStep(file),
    file.state === "revision_requested" && file.revision ? revisionNote(file) : null,
    surveyNote(file),
    businessBlock(file, editable),
    file.state === "awaiting_payment" ? invoiceBlock(file) : null,
    file.permit ? permitBlock(file) : null,
    satisfactionBlock(file),
    editable ? requirements : null,
    submitBox ? submitBox.element : null,
    file.sla && file.submitted_at ? slaBlock(file) : null,
    editable ? null : requirements,
    timelineBlock(file),
    (file.allowed_actions || []).includes("withdraw") ? withdrawSection(file) : null);
}

// --- the business behind the file: its NIB, looked up in the national OSS RBA system ---------

addStrings({
  id: {
    "biz.title": "Usaha (NIB)", "biz.lead": "Bila izin ini untuk usaha Anda, masukkan Nomor Induk Berusaha (NIB) dari OSS. Data usaha diambil langsung dari OSS.",
    "biz.nib": "NIB (13 digit)", "biz.check": "Periksa NIB", "biz.name": "Nama usaha", "biz.kbli": "KBLI", "biz.address": "Alamat",
    "biz.checked": "Diperiksa di OSS {when}.",
    "e.nib.nib_unknown": "NIB ini tidak terdaftar di OSS. Periksa kembali nomornya.", "e.nib.nib_invalid": "NIB terdiri dari 13 digit angka.",
    "p.oss_unavailable": "OSS sedang tidak dapat dihubungi. Coba lagi beberapa menit lagi.",
  },
  en: {
    "biz.title": "Business (NIB)", "biz.lead": "If this permit is for your business, enter its business id (NIB) from OSS. The business's details come straight from OSS.",
    "biz.nib": "NIB (13 digits)", "biz.check": "Check the NIB", "biz.name": "Business name", "biz.kbli": "KBLI", "biz.address": "Address",
    "biz.checked": "Checked in OSS {when}.",
    "e.nib.nib_unknown": "OSS knows no business with this NIB. Check the number.", "e.nib.nib_invalid": "A NIB is 13 digits.",
    "p.oss_unavailable": "OSS cannot be reached right now. Try again in a few minutes.",
  },
});

function businessBlock(file, editable) {
  const business = file.business;
  if (!business && !editable) return null;
  const details = business ? h("table", { "data-testid": "business" }, h("tbody", {},
    row(t("biz.name"), business.name),
    row(t("biz.kbli"), h("span", { class: "mono" }, business.kbli.join(", "))),
    row(t("biz.address"), business.address))) : null;
  const form = editable ? h("form", { novalidate: true },
    field("nib", t("biz.nib"), { value: business?.nib || "", inputmode: "numeric", autocomplete: "off", maxlength: "20" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, t("biz.check")))) : null;
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    try {
      await api("PUT", `/applications/${encodeURIComponent(file.id)}/business`, { nib: form.elements.nib.value.trim() });
      go(location.pathname, true);
    } catch (error) {
      showProblem(form, plain(error));
    }
  });
  return h("section", { class: "card", "aria-labelledby": "biz-title" },
    h("h2", { id: "biz-title" }, t("biz.title"), " ", helpLink("kirim#nib", t("biz.title"))),
    editable ? h("p", { class: "hint" }, t("biz.lead")) : null,
    details,
    business ? h("p", { class: "hint" }, t("biz.checked", { when: when(business.checked_at) })) : null,
    form);
}

function nextStep(file) {
  const rejection = file.state === "rejected"
    ? [...file.timeline].reverse().find((entry) => entry.to === "rejected" && entry.note) : null;
  return h("p", { class: file.state === "rejected" ? "problem" : "notice", role: "status" }, t(`next.${file.state}`),
    rejection ? [" ", t("file.reason", { note: rejection.note })] : null);
}

function revisionNote(file) {
  const reasons = Object.entries(file.revision.requirements || {});
  const name = (code) => named(file.requirements.find((r) => r.code === code) || { name: code }, "name");
  return h("div", { class: "card" },
    h("h2", {}, t("revision.title"), " ", helpLink("perbaikan", t("revision.title"))),
    file.revision.note ? h("p", {}, file.revision.note) : null,
    reasons.length ? h("ul", {}, reasons.map(([code, reason]) => h("li", {}, h("strong", {}, name(code)), ": ", reason))) : null);
}

function surveyNote(file) {
  const survey = file.survey || {};
  if (!survey.scheduled_for || !["survey", "verified"].includes(file.state)) return null;
  return h("p", { class: "notice" }, t("survey.when", { date: when(survey.scheduled_for) }),
    survey.location ? [h("br"), t("survey.where", { place: survey.location })] : null);
}

function documentLine(doc) {
  const tone = { accepted: "ok", rejected: "bad" }[doc.status] || "";
  return h("div", { style: WRAP },
    h("span", {}, t("req.doc", { name: doc.filename, size: bytes(doc.size), version: doc.version })), " ",
    h("span", { class: `badge ${tone}` }, t(`doc.${doc.status || "uploaded"}`)),
    doc.status === "rejected" && doc.reason
      ? h("div", { class: "field-error" }, t("req.fix", { reason: doc.reason })) : null);
}

function requirementCard(file, requirement, editable, onUploaded) {
  const name = named(requirement, "name");
  const types = requirement.file_types || ["pdf"];
  const limits = { size: requirement.max_size_mb, types: typeNames(types) };
  const current = h("div", {});
  const revisionReason = file.state === "revision_requested" ? (file.revision?.requirements || {})[requirement.code] : null;
  const showDocument = (doc) => {
    if (!doc) { current.replaceChildren(h("p", { class: "hint" }, t("req.none"))); return; }
    const id = doc.document_id || doc.id;
    const button = h("button", { type: "button", class: "secondary" }, t("req.download"));
    button.addEventListener("click", () => download(`/documents/${id}/content`, doc.filename, button,
      (error) => toast(plain(error).message)));
    current.replaceChildren(h("div", { class: "hint" }, t("req.current")), documentLine(doc),
      h("div", { class: "actions" }, button));
  };
  showDocument(requirement.document);

  const card = h("article", { class: "card requirement", "data-requirement": requirement.code },
    h("h3", {}, name, " ", h("span", { class: `badge ${requirement.required ? "warn" : ""}` },
      t(requirement.required ? "req.required" : "req.optional"))),
    requirement.description ? h("p", {}, requirement.description) : null,
    h("p", { class: "hint" }, t("req.files", limits)),
    requirement.template_url ? h("p", {}, h("a", { href: requirement.template_url }, t("req.template"))) : null,
    revisionReason ? h("p", { class: "problem" }, t("req.fix", { reason: revisionReason })) : null,
    current);
  if (!editable) return card;

  const bar = h("span", { style: "width: 0%" });
  const progress = h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100,
    "aria-valuenow": 0, "aria-label": t("req.progress", { name }) }, bar);
  const progressText = h("div", { class: "hint", "aria-hidden": "true" });
  const progressBox = h("div", { hidden: true }, progress, progressText);
  const result = h("p", { role: "status", class: "upload-result" });
  const button = h("button", { type: "submit" }, t(requirement.document ? "req.upload_again" : "req.upload"));
  const form = h("form", { novalidate: true, "data-upload": requirement.code },
    field("file", t("req.choose", { name }), { type: "file", accept: types.map((k) => ACCEPT[k] || "").join(",") }),
    h("div", { class: "actions" }, button), progressBox, result);
  const setProgress = (share) => {
    const percent = Math.round(share * 100);
    bar.style.width = `${percent}%`;
    progress.setAttribute("aria-valuenow", percent);
    progressText.textContent = t("req.uploading", { percent });
  };
  const refuse = (message) => showProblem(form, { message: t("req.refused"), fieldErrors: () => ({ file: message }) });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    result.textContent = "";
    card.querySelector(".missing")?.remove();
    const chosen = form.elements.file.files[0];
    if (!chosen) return refuse(t("e.choose"));
    // Checked here first, so a slow link does not carry a file the office would refuse anyway.
    const extension = chosen.name.includes(".") ? chosen.name.split(".").pop().toLowerCase() : "";
    if (chosen.size > requirement.max_size_mb * 1024 * 1024) return refuse(t("e.too_large", limits));
    if (chosen.size === 0) return refuse(t("e.empty"));
    if (extension && !types.some((kind) => (EXTENSIONS[kind] || [kind]).includes(extension))) {
      return refuse(t("e.type_not_allowed", limits));
    }
    const body = new FormData();
    body.append("requirement", requirement.code);
    body.append("file", chosen);
    busy(button, true);
    progressBox.hidden = false;
    setProgress(0);
    try {
      const stored = await upload(`/applications/${file.id}/documents`, body, setProgress);
      setProgress(1);
      progressText.textContent = "";
      result.textContent = t("req.done", { name: stored.filename, size: bytes(stored.size), version: stored.version });
      showDocument(stored);
      form.elements.file.value = "";
      button.textContent = t("req.upload_again");
      onUploaded(requirement.code);
    } catch (error) {
      progressBox.hidden = true;
      showProblem(form, { ...plain(error, limits), message: t("req.refused") });
      if (!(error.problem?.errors || []).length) form.querySelector(".field-error").textContent = plain(error, limits).message;
    } finally {
      busy(button, false);
    }
  });
  // Sent back for revision: the documents the office asked about show their upload at once;
  // the others keep theirs behind a toggle, so the page stays short on a phone.
  const untouched = file.state === "revision_requested" && !revisionReason && requirement.document?.status !== "rejected";
  card.append(untouched
    ? h("details", { style: "margin-top: 12px" }, h("summary", { style: "color: var(--blue); font-weight: 600; cursor: pointer" },
      t(requirement.document ? "req.upload_again" : "req.upload")), form)
    : form);
  return card;
}

function submitSection(file, required, uploaded) {
  const count = h("p", {});
  const problem = h("div", {});
  const first = file.state === "draft";
  const button = h("button", { type: "button" }, t(first ? "submit.button" : "submit.resend"));
  const element = h("div", { class: "card submit" },
    h("h2", {}, t(first ? "file.step2" : "submit.resend"), " ", helpLink(first ? "kirim" : "perbaikan", t("submit.button"))), count, problem, h("div", { class: "actions" }, button));
  const missing = () => required.filter((r) => !uploaded.has(r.code));
  const refresh = () => {
    count.textContent = t("submit.count", { done: required.length - missing().length, total: required.length });
  };
  const markMissing = (codes) => {
    for (const code of codes) {
      const card = document.querySelector(`[data-requirement="${CSS.escape(code)}"]`);
      if (card && !card.querySelector(".missing")) {
        card.querySelector("h3").after(h("p", { class: "field-error missing" }, t("req.missing")));
      }
    }
  };
  const showMissing = (codes) => {
    const names = codes.map((code) => named(file.requirements.find((r) => r.code === code) || { name: code }, "name"));
    problem.replaceChildren(h("div", { class: "problem", role: "alert", tabindex: "-1" },
      t("p.documents_missing", { names: names.join(", ") })));
    markMissing(codes);
    problem.firstChild.focus();
  };

  button.addEventListener("click", async () => {
    problem.replaceChildren();
    const absent = missing();
    if (absent.length) return showMissing(absent.map((r) => r.code));
    busy(button, true, t("submit.sending"));
    try {
      // Uploads reach the file by event: a submit right after the last upload may find it a
      // moment behind, so a refusal for documents we know are uploaded is tried again briefly.
      let sent = null;
      for (let attempt = 0; !sent; attempt++) {
        try {
          sent = await api("POST", `/applications/${file.id}/submit`);
        } catch (error) {
          if (error.problem?.code !== "documents_missing" || attempt >= 8) throw error;
          await new Promise((resolve) => setTimeout(resolve, 400 + attempt * 200));
        }
      }
      toast(t("submit.done", { receipt: sent.receipt_number }));
      await go(`/applications/${file.id}`, true);
    } catch (error) {
      if (error.problem?.code === "documents_missing") {
        const codes = (error.problem.detail || "").split(":").pop().split(",").map((s) => s.trim()).filter(Boolean);
        showMissing(codes);
      } else {
        problem.replaceChildren(problemBox(error, false));
      }
      busy(button, false, t(first ? "submit.button" : "submit.resend"));
    }
  });
  refresh();
  return { element, refresh };
}

// --- the SLA clock ------------------------------------------------------------------------

function pauseReason(reason) {
  const known = { "menunggu perbaikan berkas oleh pemohon": "pause.revision", "menunggu pembayaran retribusi": "pause.payment" };
  for (const [text, key] of Object.entries(known)) if (reason?.startsWith(text)) return t(key) + reason.slice(text.length);
  return reason || "";
}

function slaBlock(file) {
  const sla = file.sla;
  const percent = Math.min(100, Math.max(0, Math.round(sla.percent_used)));
  const finished = FINAL.includes(file.state);
  const tone = slaTone(sla);
  return h("div", { class: "card sla" },
    h("h2", {}, t("sla.title"), " ", helpLink("lacak#waktu-layanan", t("sla.title"))),
    h("p", { class: "big" }, h("span", { class: `badge ${tone}` }, slaLine(file))),
    h("div", { class: "progress", role: "progressbar", "aria-label": t("sla.bar"), "aria-valuemin": 0, "aria-valuemax": 100,
      "aria-valuenow": percent }, h("span", { style: `width: ${percent}%${tone === "bad" ? "; background: var(--bad)" : tone === "warn" ? "; background: var(--warn)" : ""}` })),
    h("table", {}, h("tbody", {},
      row(t("sla.used"), t("sla.of", { used: number(sla.used_days), total: sla.sla_days })),
      finished ? null : row(t("sla.left_label"), t("sla.days", { days: number(Math.max(0, sla.left_days)) })),
      finished ? null : row(t("sla.due_label"), when(sla.due_at)),
      !finished && sla.predicted_completion ? row(t("sla.predicted_label"), when(sla.predicted_completion, false)) : null)),
    sla.pauses?.length ? [h("h3", {}, t("sla.pauses")), h("ul", {}, sla.pauses.map((pause) => h("li", {},
      t("sla.pause", { start: when(pause.start), end: pause.end ? when(pause.end) : t("sla.now"), reason: pauseReason(pause.reason) }))))] : null,
    h("p", { class: "hint" }, t("sla.explain")));
}

// --- the invoice and how to pay it --------------------------------------------------------

function invoiceBlock(file) {
  const box = h("div", { class: "card invoice" }, h("h2", {}, t("invoice.title"), " ", helpLink("bayar", t("invoice.title"))), h("p", { class: "loading" }, t("loading")));
  api("GET", `/applications/${file.id}/invoice`).then((invoice) => box.replaceChildren(...invoiceView(file, invoice)))
    .catch((error) => box.replaceChildren(h("h2", {}, t("invoice.title")),
      error.status === 404 ? h("p", { class: "notice" }, t("invoice.none")) : problemBox(error)));
  return box;
}

function invoiceView(file, invoice) {
  const tone = { open: "warn", paid: "ok", expired: "bad", cancelled: "bad" }[invoice.status] || "";
  const parts = [
    h("h2", {}, t("invoice.title"), " ", helpLink("bayar", t("invoice.title"))),
    h("p", { style: WRAP }, t("invoice.number"), ": ", h("span", { class: "mono" }, invoice.number), " ",
      h("span", { class: `badge ${tone}` }, t(`invoice.status.${invoice.status}`))),
    h("p", {}, t("invoice.amount")),
    h("p", { class: "big" }, rupiah(invoice.amount)),
  ];
  if (invoice.breakdown?.length) {
    parts.push(h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("invoice.item")), h("th", { scope: "col" }, t("invoice.subtotal")))),
      h("tbody", {}, invoice.breakdown.map((line) => h("tr", {},
        h("td", {}, line.label, line.quantity ? h("div", { class: "hint" }, line.quantity,
          line.unit_price !== undefined && line.unit_price !== null ? ` × ${rupiah(line.unit_price)}` : "") : null),
        h("td", {}, rupiah(line.amount)))))));
  }
  if (invoice.status === "expired" || invoice.status === "cancelled") {
    const renew = h("button", { type: "button" }, t("invoice.renew"));
    const note = h("div", {});
    renew.addEventListener("click", async () => {
      busy(renew, true);
      try {
        await api("POST", `/applications/${file.id}/invoice/renew`);
        toast(t("invoice.renewed"));
        await go(location.pathname, true);
      } catch (error) {
        note.replaceChildren(problemBox(error, false));
        busy(renew, false);
      }
    });
    parts.push(h("p", { class: "problem" }, t("invoice.expired")), note, h("div", { class: "actions" }, renew));
    return parts;
  }
  if (invoice.status !== "open") return parts;
  parts.push(h("p", { class: "notice" }, t("invoice.expires", { date: when(invoice.expires_at) })));
  for (const account of invoice.virtual_accounts || []) {
    const copy = h("button", { type: "button", class: "secondary" }, t("invoice.copy"));
    copy.addEventListener("click", () => navigator.clipboard?.writeText(account.virtual_account_no.replace(/\s/g, ""))
      .then(() => toast(t("invoice.copied"))).catch(() => null));
    parts.push(h("div", { class: "card va" },
      h("div", {}, h("strong", {}, account.bank), " · ", t("invoice.va")),
      h("p", { class: "big mono", style: WRAP }, account.virtual_account_no),
      navigator.clipboard ? copy : null));
  }
  parts.push(h("p", { class: "hint" }, t("invoice.honest")), h("h3", {}, t("pay.title"), " ", helpLink("bayar#atm", t("pay.title"))),
    ...["atm", "mobile", "internet", "teller"].map((channel) => h("details", { class: "card" },
      h("summary", {}, t(`pay.${channel}`)),
      h("ol", {}, t(`pay.${channel}.steps`).split("\n").map((step) => h("li", {}, step))))));
  return parts;
}

// --- the satisfaction survey (IKM) ------------------------------------------------------------

addStrings({
  id: {
    "ikm.title": "Survei Kepuasan Masyarakat",
    "ikm.lead": "Berkas Anda sudah selesai. Bantu kami memperbaiki layanan: beri nilai setiap unsur dari 1 (tidak baik) sampai 4 (sangat baik). Survei diisi sekali saja untuk setiap berkas.",
    "ikm.comment": "Komentar, saran, atau pengaduan (tidak wajib)", "ikm.complaint": "Ini adalah pengaduan",
    "ikm.complaint_hint": "Centang bila Anda ingin kantor menjawab komentar Anda. Nilai yang rendah juga dicatat sebagai pengaduan.",
    "ikm.send": "Kirim survei", "ikm.sent": "Terima kasih atas penilaian Anda.",
    "ikm.pick": "Pilih salah satu nilai, 1 sampai 4.", "ikm.missing": "Masih ada {count} unsur yang belum dinilai.",
    "ikm.thanks": "Terima kasih, Anda sudah mengisi survei ({date}).",
    "ikm.your_complaint": "Pengaduan Anda", "ikm.complaint.open": "Menunggu jawaban kantor", "ikm.complaint.answered": "Sudah dijawab",
    "ikm.complaint.wait": "Jawaban kantor akan tampil di sini dan dikirim ke Kotak Masuk Anda.",
    "ikm.answered_at": "Dijawab {date}",
    "p.survey_already_answered": "Anda sudah mengisi survei untuk berkas ini. Muat ulang halaman untuk melihatnya.",
    "p.survey_not_open": "Survei dapat diisi setelah berkas selesai diproses.",
  },
  en: {
    "ikm.title": "Community Satisfaction Survey",
    "ikm.lead": "Your file is finished. Help us improve the service: rate each element from 1 (not good) to 4 (very good). The survey is answered once per file.",
    "ikm.comment": "Comment, suggestion or complaint (optional)", "ikm.complaint": "This is a complaint",
    "ikm.complaint_hint": "Tick it if you want the office to answer your comment. Low scores are recorded as a complaint too.",
    "ikm.send": "Send the survey", "ikm.sent": "Thank you for your rating.",
    "ikm.pick": "Choose a score from 1 to 4.", "ikm.missing": "{count} elements are not rated yet.",
    "ikm.thanks": "Thank you, you have answered the survey ({date}).",
    "ikm.your_complaint": "Your complaint", "ikm.complaint.open": "Waiting for the office's answer", "ikm.complaint.answered": "Answered",
    "ikm.complaint.wait": "The office's answer will show here and reach your Inbox.",
    "ikm.answered_at": "Answered {date}",
    "p.survey_already_answered": "You have already answered the survey for this file. Reload the page to see it.",
    "p.survey_not_open": "The survey can be answered once the file is finished.",
  },
});

const IKM_ELEMENTS = ["requirements", "procedure", "time", "cost", "product", "competence", "behaviour", "complaints", "facilities"];

// Once a file has ended its owner rates the nine elements of PermenPANRB 14/2017, once; after
// that the card thanks them and shows the office's answer to their complaint.
function satisfactionBlock(file) {
  const answered = file.satisfaction;
  if (!answered && !file.satisfaction_open) return null;
  const title = h("h2", { id: "ikm-title", tabindex: "-1" }, t("ikm.title"), " ", helpLink("survei", t("ikm.title")));
  const box = h("section", { class: "card", "aria-labelledby": "ikm-title" }, title);
  const showThanks = (survey) => {
    const complaint = survey.complaint;
    const replied = complaint?.status === "answered";
    const answer = replied
      ? [h("p", { style: "white-space: pre-line" }, complaint.answer), h("p", { class: "hint" }, t("ikm.answered_at", { date: when(complaint.answered_at) }))]
      : [h("p", { class: "hint" }, t("ikm.complaint.wait"))];
    box.replaceChildren(title,
      h("p", { class: "notice", role: "status" }, t("ikm.thanks", { date: when(survey.answered_at) })),
      ...(complaint ? [h("h3", {}, t("ikm.your_complaint"), " ",
        h("span", { class: `badge ${replied ? "ok" : "warn"}` }, t(`ikm.complaint.${complaint.status}`))), ...answer] : []));
  };
  if (answered) {
    showThanks(answered);
    return box;
  }
  const element = (key, index) => h("fieldset", { class: "ikm-element", "data-field": `scores.${key}`, "aria-describedby": `ikm-${key}-error` },
    h("legend", {}, `${index + 1}. ${t(`ikm.element.${key}`)}`),
    h("div", { class: "ikm-scores" }, [1, 2, 3, 4].map((score) => h("label", { class: "ikm-score" },
      h("input", { type: "radio", name: `score-${key}`, value: score }), `${score} — ${t(`ikm.score.${score}`)}`))),
    h("div", { class: "field-error", id: `ikm-${key}-error` }));
  const send = h("button", { type: "submit" }, t("ikm.send"));
  const form = h("form", { novalidate: true },
    h("p", {}, t("ikm.lead")),
    IKM_ELEMENTS.map(element),
    field("comment", t("ikm.comment"), { tag: "textarea", rows: 3, maxlength: 2000 }),
    h("div", { class: "off-check off-gap", "data-field": "complaint" },
      h("input", { type: "checkbox", id: "ikm-complaint", name: "complaint", class: "off-box", "aria-describedby": "ikm-complaint-hint" }),
      h("label", { for: "ikm-complaint", class: "off-check-label" }, t("ikm.complaint")),
      h("div", { class: "field-error" })),
    h("p", { class: "hint", id: "ikm-complaint-hint" }, t("ikm.complaint_hint")),
    h("div", { class: "actions" }, send));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem(form);
    const scores = Object.fromEntries(IKM_ELEMENTS.map((key) => [key, Number(form.querySelector(`[name="score-${key}"]:checked`)?.value)]));
    const missing = IKM_ELEMENTS.filter((key) => !scores[key]);
    if (missing.length) {
      return showProblem(form, { message: t("ikm.missing", { count: missing.length }),
        fieldErrors: () => Object.fromEntries(missing.map((key) => [`scores.${key}`, t("ikm.pick")])) });
    }
    const body = { scores, complaint: form.elements.complaint.checked };
    if (form.elements.comment.value.trim()) body.comment = form.elements.comment.value.trim();
    busy(send, true);
    try {
      showThanks(await api("POST", `/applications/${file.id}/survey-response`, body));
      toast(t("ikm.sent"));
      title.focus();
    } catch (error) {
      showProblem(form, plain(error));
      busy(send, false);
    }
  });
  box.append(form);
  return box;
}

// --- the issued permit --------------------------------------------------------------------

function permitBlock(file) {
  const permit = file.permit;
  const message = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button" }, t("permit.download"));
  button.addEventListener("click", () => download(`/applications/${file.id}/permit/certificate`,
    `izin-${permit.number.replace(/[^\w-]+/g, "-")}.pdf`, button, (error) => message.replaceChildren(
      error.status === 404 ? h("p", { class: "notice", role: "status" }, t("permit.preparing")) : problemBox(error, false))));
  const validity = permit.valid_until
    ? t("permit.until", { from: when(permit.valid_from, false), until: when(permit.valid_until, false) })
    : t("permit.forever", { from: when(permit.valid_from, false) });
  const tone = { valid: "ok", suspended: "warn", revoked: "bad" }[permit.status] || "";
  return h("div", { class: "card permit" },
    h("h2", {}, t("permit.title"), " ", helpLink("izin", t("permit.title"))),
    h("div", {}, t("permit.number")),
    h("p", { class: "big mono", style: WRAP }, permit.number),
    h("table", {}, h("tbody", {},
      row(t("permit.validity"), validity),
      row(t("permit.status"), h("span", { class: `badge ${tone}` }, t(`permit.status.${permit.status}`))))),
    h("p", {}, t("permit.verify_hint", { code: permit.verification_code }), " ",
      h("a", { href: `/verify/${encodeURIComponent(permit.verification_code)}`, "data-link": true }, t("permit.verify"))),
    h("div", { class: "actions" }, button),
    message);
}

// --- the history and withdrawing ------------------------------------------------------------

function actor(entry) {
  const roles = entry.actor_roles || [];
  if (!entry.actor_id || !roles.length) return t("who.system");
  const role = roles.find((r) => r !== "applicant") || "applicant";
  return t(`who.${role}`);
}

function timelineBlock(file) {
  const entries = [...(file.timeline || [])].reverse();
  return h("div", {},
    h("h2", {}, t("history.title"), " ", helpLink("lacak#waktu-layanan", t("history.title"))),
    h("ol", { class: "timeline card" }, entries.map((entry) => {
      const same = entry.from === entry.to && hasText(`action.${entry.action}`);
      const title = entry.action === "create" || same ? t(`action.${entry.action}`) : t(`state.${entry.to}`);
      return h("li", {},
        h("strong", {}, title),
        h("div", { class: "hint" }, when(entry.at), " · ", t("history.by", { who: actor(entry) })),
        entry.note ? h("div", {}, entry.note) : null);
    })));
}

function withdrawSection(file) {
  const start = h("button", { type: "button", class: "secondary" }, t("withdraw.button"));
  const form = h("form", { class: "card", novalidate: true, hidden: true },
    h("p", {}, t("withdraw.confirm")),
    field("note", t("withdraw.note"), { tag: "textarea", rows: 2, maxlength: 2000 }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "danger" }, t("withdraw.yes")),
      h("button", { type: "button", class: "secondary", onclick: () => { form.hidden = true; shown(start, true); start.focus(); } },
        t("withdraw.no"))));
  start.addEventListener("click", () => {
    form.hidden = false;
    shown(start, false);
    form.elements.note.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearProblem(form);
    busy(button, true);
    try {
      const note = form.elements.note.value.trim();
      await api("POST", `/applications/${file.id}/withdraw`, note ? { note } : {});
      toast(t("withdraw.done"));
      await go(`/applications/${file.id}`, true);
    } catch (error) {
      showProblem(form, plain(error));
      busy(button, false);
    }
  });
  return h("div", {}, h("div", { class: "actions" }, start), form);
}

// --- the inbox ------------------------------------------------------------------------------

// A link of the office's own address opens inside the app.
function inAppPath(link) {
  try {
    const url = new URL(link, location.origin);
    return url.pathname.startsWith("/applications/") ? url.pathname : null;
  } catch {
    return null;
  }
}

route("/inbox", signedIn(async () => {
  const heading = h("h1", {});
  const list = h("div", {});
  const more = h("button", { type: "button", class: "secondary" }, t("inbox.more"));
  let unread = 0;
  let page = 0;
  let count = 0;
  const drawHeading = () => heading.replaceChildren(t("inbox.title"), " ", helpLink("lacak#kotak-masuk", t("inbox.title")),
    unread ? h("span", { class: "hint" }, ` (${t("inbox.unread", { count: unread })})`) : "");

  const message = (item) => {
    const title = h("span", { class: "inbox-title" }, item.title);
    const titleWrap = item.read_at ? title : h("strong", {}, title);
    const badge = item.read_at ? null : h("span", { class: "badge warn" }, t("inbox.new"));
    const path = item.link && inAppPath(item.link);
    const details = h("details", { class: "card message", "data-id": item.id },
      h("summary", {}, titleWrap, " ", badge, h("div", { class: "hint" }, when(item.created_at))),
      h("p", { style: "white-space: pre-line" }, item.body),
      path ? h("p", {}, h("a", { href: path, "data-link": true }, t("inbox.open"))) : null);
    details.addEventListener("toggle", async () => {
      if (!details.open || item.read_at) return;
      item.read_at = new Date().toISOString();
      try {
        await api("POST", `/notifications/${encodeURIComponent(item.id)}/read`);
        titleWrap.replaceWith(title);
        badge?.remove();
        unread = Math.max(0, unread - 1);
        drawHeading();
      } catch {
        item.read_at = null;
      }
    });
    return details;
  };

  const load = async () => {
    const data = await api("GET", `/notifications?page=${++page}&per_page=20`);
    unread = data.unread;
    count += data.items.length;
    list.append(...data.items.map(message));
    shown(more, count < data.total && data.items.length > 0);
    drawHeading();
    return data;
  };
  more.addEventListener("click", async () => {
    busy(more, true);
    try { await load(); } catch (error) { more.after(problemBox(error, false)); } finally { busy(more, false); }
  });
  const first = await load();
  return h("section", {}, heading, first.total ? list : h("p", { class: "notice" }, t("inbox.empty")),
    h("div", { class: "actions" }, more));
}));
