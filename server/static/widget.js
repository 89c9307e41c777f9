/* docqa: the chat page and the embeddable widget, one source.
 *
 * Embed: <script src="https://HOST/widget.js" defer></script>
 * Options (data- attributes on that tag): data-title, data-accent (#rgb / #rrggbb),
 * data-position (right | left), data-lang (fr | en | auto: the host page's lang),
 * data-server (defaults to this script's origin), data-mode="page" with data-target
 * (the id of the element to fill) for the full-page chat at "/".
 *
 * Everything renders inside an open Shadow DOM. Answers, sources and questions are always
 * inserted as text (textContent / text nodes), never as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__docqa) return;
  window.__docqa = true;

  var opts = script.dataset;
  var base = (opts.server || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var pageMode = opts.mode === "page";
  var STORE = "docqa:" + base;
  var MAX_KEPT = 30;
  var MAX_HISTORY = 10;
  var PREPARING_TRIES = 60; // a server still building its index (503 + Retry-After): ask again, up to ~3 min

  var TEXT = {
    en: {
      title: "Ask the documents", open: "Open the assistant", close: "Close the assistant",
      intro: "Ask a question: answers are sentences taken from the documents, with their sources.",
      label: "Your question", placeholder: "Ask a question…", send: "Ask",
      conversation: "Conversation", you: "You said:", bot: "Assistant:",
      loading: "Searching the documents…", notFound: "Not in the documents",
      suggestions: "Passages that may help", sources: "Sources", openDoc: "Open the document",
      unreachable: "The assistant could not be reached. Check your connection and try again.",
      refused: "This site is not allowed to use this assistant.",
      failed: "The assistant could not answer: ", retry: "Retry", clear: "New conversation",
      preparing: "The assistant is preparing its documents… it will answer in a moment."
    },
    fr: {
      title: "Questions aux documents", open: "Ouvrir l’assistant", close: "Fermer l’assistant",
      intro: "Posez une question : les réponses sont des phrases tirées des documents, avec leurs sources.",
      label: "Votre question", placeholder: "Posez une question…", send: "Envoyer",
      conversation: "Conversation", you: "Vous :", bot: "Assistant :",
      loading: "Recherche dans les documents…", notFound: "Absent des documents",
      suggestions: "Passages qui peuvent aider", sources: "Sources", openDoc: "Ouvrir le document",
      unreachable: "Impossible de joindre l’assistant. Vérifiez votre connexion et réessayez.",
      refused: "Ce site n’est pas autorisé à utiliser cet assistant.",
      failed: "L’assistant n’a pas pu répondre : ", retry: "Réessayer", clear: "Nouvelle conversation",
      preparing: "L’assistant prépare ses documents… il répondra dans un instant."
    }
  };
  var wanted = (opts.lang && opts.lang !== "auto" ? opts.lang : document.documentElement.lang || navigator.language || "en");
  var lang = /^fr/i.test(wanted) ? "fr" : "en";
  var t = TEXT[lang];
  var title = opts.title || t.title;

  // Accent colour: only #rgb / #rrggbb; text on it is white or near-black, whichever meets WCAG AA.
  function luminance(hex) {
    var c = hex.length === 4 ? hex.replace(/\w/g, "$&$&").slice(1) : hex.slice(1);
    var rgb = [0, 2, 4].map(function (i) {
      var v = parseInt(c.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  var accent = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(opts.accent || "") ? opts.accent : "#1d4ed8";
  var onAccent = 1.05 / (luminance(accent) + 0.05) >= 4.5 ? "#ffffff" : "#111827";
  var link = onAccent === "#ffffff" ? accent : "#1d4ed8";

  var CSS = [
    ":host{all:initial!important;display:block!important}",
    ":host([data-docqa=widget]){position:fixed!important;top:0!important;left:0!important;width:0!important;height:0!important;z-index:2147483000!important}",
    ".dq{all:initial;display:block;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:15px;line-height:1.45;color:#1f2937;text-align:left}",
    ".dq *,.dq *::before,.dq *::after{box-sizing:border-box}",
    "button,input{font:inherit;color:inherit}",
    "button{cursor:pointer}",
    ":focus-visible{outline:3px solid var(--acc);outline-offset:2px}",
    ".launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--acc);color:var(--on);box-shadow:0 6px 20px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}",
    ".launcher:hover{filter:brightness(1.1)}",
    "svg{width:28px;height:28px;fill:currentColor}",
    ".panel{position:fixed;bottom:88px;right:20px;width:380px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border:1px solid #d1d5db;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;animation:dq-in .18s ease-out}",
    ".left .launcher,.left .panel{right:auto;left:20px}",
    ".panel[hidden]{display:none}",
    "@keyframes dq-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}",
    ".page .panel{position:static;width:auto;max-width:820px;height:100vh;max-height:none;margin:0 auto;border-radius:0;border-width:0 1px;box-shadow:none;animation:none}",
    "header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--acc);color:var(--on)}",
    "h1,h2{flex:1;margin:0;font-size:17px;font-weight:650;line-height:1.3}",
    "header :focus-visible{outline-color:var(--on)}",
    "header button{display:flex;align-items:center;justify-content:center;width:32px;height:32px;padding:0;background:transparent;border:0;border-radius:8px;color:inherit;font-size:24px;line-height:1}",
    "header button:hover{background:rgba(255,255,255,.18)}",
    "header svg{width:20px;height:20px}",
    ".log{flex:1;overflow-y:auto;list-style:none;margin:0;padding:14px;display:flex;flex-direction:column;gap:10px;background:#f9fafb}",
    ".intro{color:#4b5563;margin:0}",
    ".msg{max-width:92%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:var(--acc);color:var(--on);border-bottom-right-radius:4px}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px}",
    ".declined{border-style:dashed;border-color:#9ca3af}",
    ".badge{display:inline-block;margin:0 0 4px;padding:1px 8px;border-radius:99px;background:#fef3c7;color:#78350f;font-size:12px;font-weight:600}",
    ".error{align-self:stretch;background:#fef2f2;border:1px solid #fca5a5;color:#991b1b}",
    ".error button{margin-left:8px;background:#991b1b;color:#fff;border:0;border-radius:6px;padding:3px 10px}",
    ".text{margin:0}",
    "strong{font-weight:700}",
    "mark{background:#fef08a;color:#111827}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".srchead{margin:8px 0 2px;font-size:12px;font-weight:600;color:#4b5563;text-transform:uppercase;letter-spacing:.04em}",
    ".sources{list-style:none;margin:0;padding:0;white-space:normal}",
    "details{border-top:1px solid #e5e7eb;padding:4px 0;font-size:13.5px}",
    "summary{cursor:pointer;color:#374151;font-weight:600}",
    ".snip{display:block;margin-left:14px;font-weight:400;color:#4b5563;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    "details[open] .snip{display:none}",
    "blockquote{position:relative;max-height:170px;overflow-y:auto;margin:6px 0;padding:0 4px 0 10px;border-left:3px solid #d1d5db;color:#374151;white-space:pre-wrap}",
    "a{color:var(--link)}",
    ".loading{color:#4b5563}",
    ".dots span{display:inline-block;width:6px;height:6px;margin-left:3px;border-radius:50%;background:#6b7280;animation:dq-b 1s infinite ease-in-out}",
    ".dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}",
    "@keyframes dq-b{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}",
    "input{flex:1;min-width:0;padding:9px 11px;border:1px solid #6b7280;border-radius:8px;background:#fff;font-size:16px}",
    "input::placeholder{color:#6b7280}",
    "form button{border:0;border-radius:8px;padding:9px 16px;background:var(--acc);color:var(--on);font-weight:600}",
    "form button:disabled{opacity:.6;cursor:progress}",
    "@media (max-width:480px){.panel{right:0;left:0;bottom:0;width:100vw;max-width:none;height:100vh;max-height:none;border-radius:0}.panel:not([hidden])~.launcher{display:none}}",
    "@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}"
  ].join("\n");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function icon(d) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* storage disabled or corrupt: start afresh */ }
    return { open: false, messages: [] };
  }
  var state = load();
  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* quota or disabled */ }
  }

  // A script in <head> without defer runs before <body> exists.
  if (document.body) boot();
  else document.addEventListener("DOMContentLoaded", boot);

  function boot() {
    // ---- the DOM ---------------------------------------------------------------------------
    var host = pageMode && opts.target ? document.getElementById(opts.target) : null;
    if (!host) {
      host = document.createElement("docqa-assistant");
      document.body.appendChild(host);
    }
    host.setAttribute("data-docqa", pageMode ? "page" : "widget");
    var root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el("style", null, CSS));
    }

    var box = el("div", "dq " + (pageMode ? "page" : "widget") + (opts.position === "left" ? " left" : ""));
    box.lang = lang;
    box.style.setProperty("--acc", accent);
    box.style.setProperty("--on", onAccent);
    box.style.setProperty("--link", link);

    var panel = el("section", "panel");
    panel.id = "dq-panel";
    panel.setAttribute("role", pageMode ? "region" : "dialog");
    panel.setAttribute("aria-labelledby", "dq-title");
    var header = el("header");
    var h2 = el(pageMode ? "h1" : "h2", null, title);  // the chat page's main heading
    h2.id = "dq-title";
    var clearBtn = el("button", "clear");
    clearBtn.type = "button";
    clearBtn.title = t.clear;
    clearBtn.setAttribute("aria-label", t.clear);
    clearBtn.appendChild(icon("M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"));
    header.appendChild(h2);
    header.appendChild(clearBtn);
    var closeBtn = el("button", "close", "×");
    closeBtn.type = "button";
    closeBtn.setAttribute("aria-label", t.close);
    if (!pageMode) header.appendChild(closeBtn);

    var log = el("ol", "log");
    log.setAttribute("aria-label", t.conversation);
    var live = el("div", "sr");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");

    var form = el("form");
    var label = el("label", "sr", t.label);
    label.htmlFor = "dq-q";
    var input = el("input");
    input.id = "dq-q";
    input.type = "text";
    input.maxLength = 1000;
    input.autocomplete = "off";
    input.placeholder = t.placeholder;
    var sendBtn = el("button", "send", t.send);
    sendBtn.type = "submit";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(sendBtn);

    panel.appendChild(header);
    panel.appendChild(log);
    panel.appendChild(live);
    panel.appendChild(form);
    box.appendChild(panel);

    var launcher = el("button", "launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-label", t.open + " — " + title);
    launcher.setAttribute("aria-controls", "dq-panel");
    launcher.setAttribute("aria-expanded", "false");
    launcher.appendChild(icon("M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z"));
    if (!pageMode) box.appendChild(launcher);
    root.appendChild(box);

    // ---- rendering (text only) -----------------------------------------------------------------
    function scrollDown() { log.scrollTop = log.scrollHeight; }

    function spans(list, length) {
      // Sorted, clamped, non-overlapping [start, end) pairs.
      var out = [], at = 0;
      (Array.isArray(list) ? list.slice() : []).sort(function (a, b) { return a[0] - b[0]; }).forEach(function (s) {
        var a = Math.max(at, Math.min(length, s[0] | 0)), b = Math.min(length, s[1] | 0);
        if (b > a) { out.push([a, b]); at = b; }
      });
      return out;
    }

    function marked(parent, text, list, tag) {
      var at = 0;
      text = String(text || "");
      spans(list, text.length).forEach(function (s) {
        parent.appendChild(document.createTextNode(text.slice(at, s[0])));
        parent.appendChild(el(tag, null, text.slice(s[0], s[1])));
        at = s[1];
      });
      parent.appendChild(document.createTextNode(text.slice(at)));
      return parent;
    }

    function sourceItem(s) {
      var li = el("li");
      var details = el("details");
      var summary = el("summary", null, s.title || s.source || s.doc_id || t.sources);
      var text = String(s.text || "");
      var from = s.answer_span ? s.answer_span[0] | 0 : 0;
      var snip = text.slice(from, from + 90).replace(/\s+/g, " ").trim();
      if (snip) summary.appendChild(el("span", "snip", "“" + snip + (text.length > from + 90 ? "…”" : "”")));
      details.appendChild(summary);
      var quote = el("blockquote");
      marked(quote, s.text, s.answer_span ? [s.answer_span] : [], "mark");
      details.appendChild(quote);
      details.addEventListener("toggle", function () {
        var mark = quote.querySelector("mark");
        if (details.open && mark) quote.scrollTop = mark.offsetTop;
      });
      if (/^https?:\/\//i.test(s.source || "")) {
        var a = el("a", null, t.openDoc);
        a.href = s.source;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        details.appendChild(a);
      }
      li.appendChild(details);
      return li;
    }

    function renderMessage(m) {
      var li;
      if (m.role === "user") {
        li = el("li", "msg user");
        li.appendChild(el("span", "sr", t.you + " "));
        li.appendChild(document.createTextNode(m.text));
      } else {
        li = el("li", "msg bot" + (m.answered ? "" : " declined"));
        li.appendChild(el("span", "sr", t.bot + " "));
        if (!m.answered) li.appendChild(el("p", "badge", t.notFound));
        li.appendChild(marked(el("p", "text"), m.answer, m.answered ? m.highlights : [], "strong"));
        var sources = (m.sources || []).slice(0, 3);
        if (sources.length) {
          li.appendChild(el("p", "srchead", m.answered ? t.sources : t.suggestions));
          var list = el("ul", "sources");
          sources.forEach(function (s) { list.appendChild(sourceItem(s)); });
          li.appendChild(list);
        }
      }
      log.appendChild(li);
      return li;
    }

    function renderAll() {
      log.textContent = "";
      if (!state.messages.length) log.appendChild(el("li", "intro", t.intro));
      state.messages.forEach(renderMessage);
      scrollDown();
    }

    function announce(text) {
      live.textContent = "";
      setTimeout(function () { live.textContent = text; }, 50);
    }

    // ---- talking to the server ---------------------------------------------------------------
    var busy = false;

    function history() {
      return state.messages.slice(-MAX_HISTORY).map(function (m) {
        return { role: m.role, content: String(m.role === "user" ? m.text : m.answer).slice(0, 4000) };
      });
    }

    // After a failed fetch: a refused origin or an unreachable server? A refused origin's answers carry
    // no CORS headers, so /api/origin is unreadable from its pages; the server still answers an opaque
    // (no-cors) request, which fails only when it is unreachable.
    function refusedOrigin() {
      return fetch(base + "/api/origin", { credentials: "omit" }).then(
        function (r) { return r.status === 403; },
        function () {
          return fetch(base + "/api/origin", { mode: "no-cors", credentials: "omit" })
            .then(function () { return true; }, function () { return false; });
        });
    }

    function setBusy(on) {
      busy = on;
      sendBtn.disabled = on;
      log.setAttribute("aria-busy", on ? "true" : "false");
    }

    function send(question, userLi) {
      if (busy) return;
      setBusy(true);
      var intro = log.querySelector(".intro");
      if (intro) intro.remove();
      userLi = userLi || renderMessage({ role: "user", text: question });
      var waiting = el("li", "msg bot loading", t.loading);
      var dots = el("span", "dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      waiting.appendChild(dots);
      log.appendChild(waiting);
      scrollDown();
      announce(t.loading);

      function fail(message) {
        waiting.remove();
        var li = el("li", "msg error");
        li.setAttribute("role", "alert");
        li.appendChild(document.createTextNode(message));
        var retry = el("button", "retry", t.retry);
        retry.type = "button";
        retry.addEventListener("click", function () {
          li.remove();
          input.focus();
          send(question, userLi);
        });
        li.appendChild(retry);
        log.appendChild(li);
        scrollDown();
        setBusy(false);
      }

      var tries = 0;
      function preparing(seconds) {
        // Still starting (the first index is being built): say so, keep the question, ask again.
        if (waiting.firstChild && waiting.firstChild.nodeType === 3) waiting.firstChild.nodeValue = t.preparing;
        waiting.classList.add("preparing");
        if (tries === 1) announce(t.preparing);
        setTimeout(ask, Math.min(Math.max(seconds, 1), 10) * 1000);
      }

      function ask() {
        tries += 1;
        fetch(base + "/api/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "omit",
          body: JSON.stringify({ question: question, history: history() })
        }).then(answered, unreachable);
      }

      function answered(r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          var retryAfter = parseInt(r.headers.get("Retry-After") || "", 10);
          if (r.status === 503 && retryAfter >= 0 && tries < PREPARING_TRIES) return preparing(retryAfter);
          if (r.status === 403) return fail(t.refused);
          if (!r.ok) return fail(t.failed + (body.error || "HTTP " + r.status));
          var m = {
            role: "assistant", answer: String(body.answer || ""), answered: !!body.answered,
            highlights: body.highlights || [], sources: body.sources || []
          };
          waiting.remove();
          state.messages.push({ role: "user", text: question }, m);
          save();
          renderMessage(m);
          scrollDown();
          announce((m.answered ? "" : t.notFound + ". ") + m.answer);
          setBusy(false);
        });
      }

      function unreachable() {
        return refusedOrigin().then(function (refused) { fail(refused ? t.refused : t.unreachable); });
      }

      ask();
    }

    // ---- behaviour -----------------------------------------------------------------------------
    function setOpen(open, focus) {
      if (pageMode) return;
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      launcher.setAttribute("aria-label", (open ? t.close : t.open) + " — " + title);
      state.open = open;
      save();
      if (!focus) return;
      if (open) { scrollDown(); input.focus(); } else { launcher.focus(); }
    }

    launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
    closeBtn.addEventListener("click", function () { setOpen(false, true); });
    clearBtn.addEventListener("click", function () {
      state.messages = [];
      save();
      renderAll();
      input.focus();
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !pageMode && !panel.hidden) {
        ev.stopPropagation();
        setOpen(false, true);
      }
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value.trim();
      if (!q || busy) return;
      input.value = "";
      send(q);
    });

    renderAll();
    if (pageMode) input.focus();
    else setOpen(!!state.open, false);
  }
})();
