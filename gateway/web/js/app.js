// The shell: starts the router, follows links, switches language, watches the connection.
import { lang, setLang, t } from "./i18n.js";
import { go, render } from "./router.js";
import "./pages/public.js";
import "./pages/applicant.js";
import "./pages/officer.js";
import "./pages/admin.js";
import "./pages/integration.js";
import "./pages/reports.js";
import "./pages/help.js";

// Pages import `route` and `go` from here; they live in the router, which has no page imports.
export { go, route } from "./router.js";

function followLinks(event) {
  const link = event.target.closest("a[data-link]");
  if (!link || event.ctrlKey || event.metaKey || link.target) return;
  event.preventDefault();
  go(link.getAttribute("href"));
}

function watchConnection() {
  const banner = document.getElementById("offline");
  const update = () => { banner.hidden = navigator.onLine; banner.textContent = t("offline"); };
  addEventListener("online", update);
  addEventListener("offline", update);
  update();
}

export async function start() {
  document.addEventListener("click", followLinks);
  addEventListener("popstate", render);
  document.getElementById("lang").addEventListener("click", () => {
    setLang(lang() === "id" ? "en" : "id");
    render();
  });
  setLang(lang());
  watchConnection();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
  await render();
}

start();
