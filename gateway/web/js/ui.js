// Small DOM helpers: build elements, show problems next to their fields, toast a message.
import { t } from "./i18n.js";

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let fieldCount = 0;

// A labelled input with a place for its error, so a problem is shown where it belongs.
export function field(name, label, attributes = {}, hint = "") {
  const id = `f-${name}-${++fieldCount}`;
  const input = attributes.tag === "select"
    ? h("select", { id, name, ...attributes, tag: null }, ...(attributes.options || []))
    : h(attributes.tag || "input", { id, name, "aria-describedby": `${id}-error`, ...attributes, tag: null, options: null });
  return h("div", { class: "field", "data-field": name },
    h("label", { for: id }, label), input,
    hint ? h("div", { class: "hint" }, hint) : null,
    h("div", { class: "field-error", id: `${id}-error` }));
}

export function clearProblem(form) {
  form.querySelector(":scope > .problem")?.remove();
  for (const box of form.querySelectorAll(".field-error")) box.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

// A nested field (`requirements[2].code`, `fee_inputs.area_m2`) has its own box, or shows in
// the box of the nearest field that holds it.
function fieldBox(form, name) {
  for (let path = name; path;) {
    const box = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (box) return box;
    const parent = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (parent === path) return null;
    path = parent;
  }
  return null;
}

export function showProblem(form, error) {
  clearProblem(form);
  const errors = error.fieldErrors ? error.fieldErrors() : {};
  let first = null;
  for (const [name, message] of Object.entries(errors)) {
    const holder = fieldBox(form, name);
    if (!holder) continue;
    holder.querySelector(".field-error").textContent = message;
    const input = holder.querySelector("input, select, textarea");
    input?.setAttribute("aria-invalid", "true");
    first ??= input;
  }
  let banner = form.querySelector(".problem");
  if (!banner) { banner = h("div", { class: "problem", role: "alert" }); form.prepend(banner); }
  banner.textContent = error.message || t("error.generic");
  (first || banner).focus?.();
}

export function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.classList.add("show");
  setTimeout(() => box.classList.remove("show"), 4000);
}

export const row = (label, ...value) =>
  h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, ...value));

// `hidden` always wins in app.css, so showing and hiding is the attribute alone.
export function shown(element, on) {
  element.hidden = !on;
}

export function stateBadge(state) {
  const tone = { issued: "ok", rejected: "bad", revision_requested: "warn", awaiting_payment: "warn" }[state] || "";
  return h("span", { class: `badge ${tone}` }, t(`state.${state}`));
}

// The "?" beside a step: its help page, `page` or `page#section` under /bantuan (words in pages/help.js).
export function helpLink(page, topic) {
  const label = t("help.link", { topic });
  return h("a", { href: `/bantuan/${page}`, "data-link": true, class: "help-link", "aria-label": label, title: label }, "?");
}
