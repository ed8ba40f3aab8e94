// The gateway's API, with the session's tokens: refreshed once on expiry, problems as errors.
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || "error");
    this.status = status;
    this.problem = problem;
  }
  fieldErrors() { return Object.fromEntries((this.problem.errors || []).map((e) => [e.field, e.message])); }
}

export const session = {
  get access() { return localStorage.getItem("gaspol.access"); },
  get refresh() { return localStorage.getItem("gaspol.refresh"); },
  get user() { return JSON.parse(localStorage.getItem("gaspol.user") || "null"); },
  save(tokens) {
    localStorage.setItem("gaspol.access", tokens.access_token);
    localStorage.setItem("gaspol.refresh", tokens.refresh_token);
  },
  remember(user) { localStorage.setItem("gaspol.user", JSON.stringify(user)); },
  clear() { for (const key of ["access", "refresh", "user"]) localStorage.removeItem("gaspol." + key); },
  has(role) { return (this.user?.roles || []).includes(role); },
};

async function send(method, path, body, headers = {}) {
  const options = { method, headers: { ...headers } };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (session.access) options.headers.Authorization = "Bearer " + session.access;
  try {
    return await fetch("/api/v1" + path, options);
  } catch {
    throw new ApiError(0, { detail: t("error.network"), code: "network" });
  }
}

async function refreshTokens() {
  if (!session.refresh) return false;
  const response = await fetch("/api/v1/auth/refresh", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: session.refresh }),
  });
  if (!response.ok) { session.clear(); return false; }
  session.save(await response.json());
  return true;
}

export async function api(method, path, body) {
  let response = await send(method, path, body);
  if (response.status === 401 && session.refresh && (await refreshTokens())) {
    response = await send(method, path, body);
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.blob();
  if (!response.ok) throw new ApiError(response.status, type.includes("json") ? data : { detail: t("error.generic") });
  return data;
}

// A file behind the API (it needs the session's token, so a plain link cannot fetch it), saved
// under `filename`.
export async function saveFile(path, filename) {
  const blob = await api("GET", path);
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

// Uploads report their progress, which fetch cannot: XMLHttpRequest does.
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1" + path);
    if (session.access) request.setRequestHeader("Authorization", "Bearer " + session.access);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      const data = JSON.parse(request.responseText || "{}");
      request.status < 300 ? resolve(data) : reject(new ApiError(request.status, data));
    };
    request.onerror = () => reject(new ApiError(0, { detail: t("error.network") }));
    request.send(form);
  });
}
