// The shell: routes, navigation, language switch, offline notice, service worker.
import { session } from "./api.js";
import { lang, setLang, t } from "./i18n.js";
import { h } from "./ui.js";

const routes = [];

// Page modules call this: `route("/track/:receipt", async (params) => element)`.
export function route(pattern, render) {
  const names = [];
  const regex = new RegExp("^" + pattern.replace(/:(\w+)/g, (_, name) => (names.push(name), "([^/]+)")) + "/?$");
  routes.push({ regex, names, render });
}

export async function go(path, replace = false) {
  history[replace ? "replaceState" : "pushState"]({}, "", path);
  await render();
}

async function render() {
  const main = document.getElementById("main");
  const path = location.pathname;
  drawNav(path);
  for (const { regex, names, render: page } of routes) {
    const match = path.match(regex);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    main.replaceChildren(h("p", { class: "loading" }, t("loading")));
    try {
      main.replaceChildren(await page(params, new URLSearchParams(location.search)));
    } catch (error) {
      main.replaceChildren(h("div", { class: "problem", role: "alert" }, error.message || t("error.generic")));
    }
    main.focus();
    return;
  }
  main.replaceChildren(h("h1", {}, t("notfound")));
}

function drawNav(path) {
  const links = [["/", "nav.catalogue"], ["/track", "nav.track"], ["/verify", "nav.verify"]];
  if (session.user) {
    if (session.has("applicant")) links.push(["/applications", "nav.mine"]);
    if ((session.user.roles || []).some((r) => r !== "applicant")) links.push(["/work", "nav.queue"]);
    links.push(["/inbox", "nav.inbox"], ["/logout", "nav.logout"]);
  } else {
    links.push(["/login", "nav.login"]);
  }
  document.getElementById("nav").replaceChildren(...links.map(([href, key]) =>
    h("a", { href, "data-link": true, "aria-current": href === path ? "page" : null }, t(key))));
  document.getElementById("lang").textContent = lang() === "id" ? "EN" : "ID";
  document.querySelector(".skip").textContent = t("skip");
}

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

// Pages register their routes by being imported; then the shell starts.
await Promise.all([
  import("./pages/public.js"),
  import("./pages/applicant.js"),
  import("./pages/officer.js"),
]);
start();
