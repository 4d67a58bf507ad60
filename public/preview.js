// The screen left last here today, painted until the app starts: see README (preview.js).
(() => {
  const KEY = "parvis.preview", root = document.documentElement;
  const here = () => location.pathname + location.search;
  const day = () => new Date().toDateString();
  try {
    const s = (JSON.parse(localStorage.getItem(KEY)) || {})[here()], boot = document.getElementById("boot");
    if (s && boot && s.day == day() && (localStorage.getItem("parvis.locale") || s.lang) == s.lang) {
      root.lang = s.lang;
      for (const [k, v] of s.vars) root.style.setProperty(k, v);
      boot.className = "preview";
      boot.removeAttribute("role");
      boot.inert = true;
      boot.innerHTML = s.html;
      performance.mark("parvis:preview");
    }
  } catch {}
  const save = () => {
    try {
      if (document.getElementById("boot")) return;
      if (!/^\/(actualites\/?|agenda\/?)?$/.test(location.pathname)) return;
      for (const e of document.querySelectorAll("input,option")) {
        if (/^(checkbox|radio)$/.test(e.type)) e.toggleAttribute("checked", e.checked);
        else if (e.tagName == "OPTION") e.toggleAttribute("selected", e.selected);
        else e.setAttribute("value", e.value);
      }
      const html = [...document.body.children].filter((e) => !/^(SCRIPT|NOSCRIPT)$/.test(e.tagName)).map((e) => e.outerHTML).join("");
      const vars = [...root.style].map((k) => [k, root.style.getPropertyValue(k)]);
      const all = JSON.parse(localStorage.getItem(KEY)) || {};
      delete all[here()];
      for (const url in all) if (all[url].day != day()) delete all[url];
      all[here()] = { day: day(), lang: root.lang, vars, html };
      for (const url of Object.keys(all).slice(0, -3)) delete all[url];
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch {}
  };
  addEventListener("pagehide", save);
  document.addEventListener("visibilitychange", () => document.hidden && save());
})();
