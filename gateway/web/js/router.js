// Routes and navigation: which page answers a path, and the menu for who is signed in.
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

export async function render() {
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
  const links = [["/", "nav.catalogue"], ["/track", "nav.track"], ["/verify", "nav.verify"], ["/transparansi", "nav.transparency"]];
  if (session.user) {
    if (session.has("applicant")) links.push(["/applications", "nav.mine"]);
    if ((session.user.roles || []).some((r) => r !== "applicant")) links.push(["/work", "nav.queue"]);
    if (["head", "admin", "auditor"].some((role) => session.has(role))) links.push(["/reports", "nav.reports"]);
    links.push(["/inbox", "nav.inbox"], ["/bantuan", "nav.help"], ["/logout", "nav.logout"]);
  } else {
    links.push(["/bantuan", "nav.help"], ["/login", "nav.login"]);
  }
  document.getElementById("nav").replaceChildren(...links.map(([href, key]) =>
    h("a", { href, "data-link": true, "aria-current": href === path ? "page" : null }, t(key))));
  document.getElementById("lang").textContent = lang() === "id" ? "EN" : "ID";
  document.querySelector(".skip").textContent = t("skip");
}
