// Paints, at once, the news or agenda screen the resident left here today (or the agenda
// screen the app kept for today when it was left on one of the six days before), inert,
// until the app's Wasm starts and draws its own from IndexedDB a moment later; the app
// removes it with the boot placeholder. The build minifies it and inlines it in index.html
// right after the placeholder (xtask postbuild; the server allows it by its hash), so it runs
// as the parser reaches it, with no fetch through the service worker, and before the app's
// module scripts. Comments cost nothing here.
(() => {
  const KEY = "parvis.preview", root = document.documentElement;
  const here = () => location.pathname + location.search;
  const day = (n = 0) => {
    const d = new Date();
    d.setDate(d.getDate() + n);
    return d.toDateString();
  };
  // Copies of the agenda are kept for this many days ahead.
  const AHEAD = 6;
  // A saved entry's markup for today: the screen as it was left today, or the copy of the
  // agenda made for today when it was left on a day before (`ahead`: markup by day).
  const today = (e) => e && (e.day == day() ? e.html : e.ahead && e.ahead[day()]);
  try {
    const s = (JSON.parse(localStorage.getItem(KEY)) || {})[here()], html = today(s), boot = document.getElementById("boot");
    // Never in another language than the one chosen since.
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
  // The agenda's first screen waits for its events' copy in IndexedDB (store::db::snapshot):
  // start that read now, while the app's Wasm is still on its way; the app takes the promise.
  // Never create the database here (the app's upgrade does), and let go of the connection at
  // once so that a newer app's upgrade is never blocked.
  const EARLY = "agenda.snapshot";
  if (/^\/agenda\/?$/.test(location.pathname)) window.parvisEarly = [EARLY, new Promise((ok) => {
    const r = indexedDB.open("parvis");
    r.onupgradeneeded = () => r.transaction.abort();
    r.onerror = () => ok();
    r.onsuccess = () => {
      try {
        const get = r.result.transaction("kv").objectStore("kv").get(EARLY);
        get.onsuccess = () => ok(get.result);
        get.onerror = () => ok();
      } catch {
        ok();
      }
      r.result.close();
    };
  })];
  // Keeps the screen if it is the news or the agenda list, fully drawn (not while the agenda
  // is still being read: its count is empty then); true when it did. Screens that change by
  // the minute (facility statuses, the map) or by the resident (forms) are never kept.
  const save = () => {
    try {
      if (document.querySelector("#boot,.results-count:empty")) return;
      if (!/^\/(actualites\/?|agenda\/?)?$/.test(location.pathname)) return;
      // Form fields keep their values: copied from properties to attributes, which the markup carries.
      for (const e of document.querySelectorAll("input,option")) {
        if (/^(checkbox|radio)$/.test(e.type)) e.toggleAttribute("checked", e.checked);
        else if (e.tagName == "OPTION") e.toggleAttribute("selected", e.selected);
        else e.setAttribute("value", e.value);
      }
      const html = [...document.body.children].filter((e) => !/^(SCRIPT|NOSCRIPT)$/.test(e.tagName)).map((e) => e.outerHTML).join("");
      const vars = [...root.style].map((k) => [k, root.style.getPropertyValue(k)]);
      // The agenda gives, for each day ahead, as [selector, markup, …], the parts that change
      // with the day as they will read that day (its day strip, results and count:
      // src/pages/agenda_page.rs); a copy with those parts is what the first open of that day
      // paints. Each part's content is spliced into the saved markup as text, where the
      // element's own markup is found as is (one serializer made both): parsing the whole
      // screen again in a template cost 9 of the 17 ms a save took.
      const days = Array.from({ length: AHEAD }, () => []), ahead = {}, pieces = {};
      dispatchEvent(new CustomEvent("parvis:save", { detail: days }));
      // A part's own markup, and where its content starts and ends in it: the same every day.
      const piece = (selector) => {
        if (!pieces[selector]) {
          const e = document.querySelector(selector), outer = e.outerHTML, close = outer.lastIndexOf("</");
          pieces[selector] = [outer, close - e.innerHTML.length, close];
        }
        return pieces[selector];
      };
      days.forEach((parts, k) => {
        if (parts.length) try {
          let copy = html;
          for (let i = 0; i < parts.length; i += 2) {
            const [outer, open, close] = piece(parts[i]), at = copy.indexOf(outer);
            if (at < 0 || open < 0) throw 0;
            copy = copy.slice(0, at) + outer.slice(0, open) + parts[i + 1] + outer.slice(close) + copy.slice(at + outer.length);
          }
          ahead[day(k + 1)] = copy;
        } catch {}
      });
      // Today's last three addresses, nothing older.
      const all = JSON.parse(localStorage.getItem(KEY)) || {};
      delete all[here()];
      for (const url in all) if (!today(all[url])) delete all[url];
      all[here()] = { day: day(), lang: root.lang, vars, html, ahead };
      for (const url of Object.keys(all).slice(0, -3)) delete all[url];
      localStorage.setItem(KEY, JSON.stringify(all));
      return 1;
    } catch {}
  };
  // Kept ahead of time: once the screen has been still for a second and the browser is idle,
  // so that leaving the page (when the next page waits for whatever is left to do) seldom has
  // anything to save. `dirty`: the page changed since it was last kept (any change in the DOM,
  // or a form field typed in); the records of the save's own attribute copies are discarded.
  let dirty = 1, timer = 0;
  const keep = () => {
    if (dirty && save()) {
      changes.takeRecords();
      dirty = 0;
    }
  };
  const changed = () => {
    dirty = 1;
    clearTimeout(timer);
    timer = setTimeout(() => (window.requestIdleCallback || setTimeout)(keep), 1000);
  };
  const changes = new MutationObserver(changed);
  changes.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  addEventListener("input", changed, true);
  addEventListener("pagehide", keep);
  document.addEventListener("visibilitychange", () => document.hidden && keep());
})();
