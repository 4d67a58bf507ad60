// The screen left last here today (or kept for today yesterday), painted until the app starts: see README (preview.js).
(() => {
  const KEY = "parvis.preview", root = document.documentElement;
  const here = () => location.pathname + location.search;
  const day = (n = 0) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    return d.toDateString();
  };
  const today = (e) => e && (e.day == day() ? e.html : e.next && e.next[0] == day() && e.next[1]);
  try {
    const s = (JSON.parse(localStorage.getItem(KEY)) || {})[here()], html = today(s), boot = document.getElementById("boot");
    if (html && boot && (localStorage.getItem("parvis.locale") || s.lang) == s.lang) {
      root.lang = s.lang;
      for (const [k, v] of s.vars) root.style.setProperty(k, v);
      boot.className = "preview";
      boot.removeAttribute("role");
      boot.inert = true;
      boot.innerHTML = html;
      performance.mark("parvis:preview");
    }
  } catch {}
  const save = () => {
    try {
      if (document.querySelector("#boot,.results-count:empty")) return;
      if (!/^\/(actualites\/?|agenda\/?)?$/.test(location.pathname)) return;
      for (const e of document.querySelectorAll("input,option")) {
        if (/^(checkbox|radio)$/.test(e.type)) e.toggleAttribute("checked", e.checked);
        else if (e.tagName == "OPTION") e.toggleAttribute("selected", e.selected);
        else e.setAttribute("value", e.value);
      }
      const html = [...document.body.children].filter((e) => !/^(SCRIPT|NOSCRIPT)$/.test(e.tagName)).map((e) => e.outerHTML).join("");
      const vars = [...root.style].map((k) => [k, root.style.getPropertyValue(k)]);
      const parts = [];
      let next = 0;
      dispatchEvent(new CustomEvent("parvis:save", { detail: parts }));
      if (parts.length) try {
        const t = document.createElement("template");
        t.innerHTML = html;
        for (let i = 0; i < parts.length; i += 2) t.content.querySelector(parts[i]).innerHTML = parts[i + 1];
        next = [day(1), t.innerHTML];
      } catch {}
      const all = JSON.parse(localStorage.getItem(KEY)) || {};
      delete all[here()];
      for (const url in all) if (!today(all[url])) delete all[url];
      all[here()] = { day: day(), lang: root.lang, vars, html, next };
      for (const url of Object.keys(all).slice(0, -3)) delete all[url];
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch {}
  };
  addEventListener("pagehide", save);
  document.addEventListener("visibilitychange", () => document.hidden && save());
})();
