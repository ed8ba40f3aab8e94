// Help pages (/bantuan): the user guides in the reader's language, as the gateway renders them
// from docs/help. They load on demand, not with the shell; the service worker keeps every page
// read, so it can be read again offline.
import { addStrings, lang, t } from "../i18n.js";
import { route } from "../router.js";
import { h } from "../ui.js";

addStrings({
  id: {
    "help.link": "Bantuan: {topic}", "help.all": "Semua panduan",
    "help.missing": "Halaman bantuan ini tidak ditemukan.",
    "help.offline": "Halaman bantuan ini belum pernah dibuka di perangkat ini dalam Bahasa Indonesia, jadi belum dapat dibaca tanpa koneksi. Sambungkan perangkat lalu coba lagi.",
  },
  en: {
    "help.link": "Help: {topic}", "help.all": "All guides",
    "help.missing": "There is no such help page.",
    "help.offline": "This help page has not been opened in English on this device yet, so it cannot be read offline. Connect and try again.",
  },
});

// The fragment comes from our own gateway, rendered from Markdown with raw HTML turned off.
async function fragment(page) {
  let response;
  try {
    response = await fetch(`/help/${lang()}/${encodeURIComponent(page)}`);
  } catch {
    return h("p", { class: "problem", role: "alert" }, t("help.offline"));
  }
  if (!response.ok) return h("p", { class: "problem", role: "alert" }, t("help.missing"));
  const holder = document.createElement("template");
  holder.innerHTML = await response.text();
  // Links to the app's own pages stay inside the app (the shell follows `data-link`).
  for (const link of holder.content.querySelectorAll('a[href^="/"]')) link.setAttribute("data-link", "");
  return holder.content;
}

async function helpPage(page) {
  const body = h("article", { class: "help", lang: lang() }, await fragment(page));
  const home = page === "index" ? null
    : h("p", { class: "help-home" }, h("a", { href: "/bantuan", "data-link": true }, "← ", t("help.all")));
  // A "?" link may name a section (`/bantuan/bayar#atm`): show it once the page is drawn.
  if (location.hash) setTimeout(() => document.getElementById(location.hash.slice(1))?.scrollIntoView());
  return h("section", {}, home, body, home?.cloneNode(true));
}

route("/bantuan", () => helpPage("index"));
route("/bantuan/:page", ({ page }) => helpPage(page));
