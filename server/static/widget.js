/* docqa: the chat page and the embeddable widget, one source.
 *
 * Embed: <script src="https://HOST/widget.js" defer></script>
 * Options (data- attributes on that tag): data-title, data-accent (#rgb / #rrggbb),
 * data-position (right | left), data-lang (fr | en | auto: the host page's lang),
 * data-greeting (the first message), data-suggestions (questions separated by "|", up to 4),
 * data-suggestions-lang (each suggestion's language, "|"-separated likewise: "en|fr"; set as its lang attribute),
 * data-server (defaults to this script's origin), data-max-chars (the server's DOCQA_MAX_QUESTION_CHARS, if not 1000), data-mode="page" with data-target
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
  // A character the server counts as visible (server/visible.py): not a space, control or format character, nor one drawn as nothing.
  var VISIBLE = /[^\p{Z}\p{Cc}\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/u;
  var NARROW = "(max-width:480px),(max-height:480px)"; // the open panel covers the page: a modal dialog

  var TEXT = {
    en: {
      title: "Ask the documents", open: "Open the assistant", close: "Close the assistant",
      greeting: "Hello! Ask me about the documents: I answer with their own words and show where each answer comes from.",
      tryThese: "Suggested questions", label: "Your question", placeholder: "Ask a question…", send: "Ask",
      conversation: "Conversation", you: "You said:", bot: "Assistant:",
      loading: "Searching the documents…", notFound: "Not in the documents",
      suggestions: "Passages that may help", sources: "Sources", passage: "passage", passages: "passages",
      newTab: " (opens in a new tab)",
      helpful: "Was this helpful?", yes: "Helpful", no: "Not helpful", thanks: "Thank you for your feedback.",
      comment: "What was missing? (optional)", sendComment: "Send", feedbackFailed: "Your feedback could not be sent: ",
      unreachable: "The assistant could not be reached. Check your connection and try again.",
      refused: "This site is not allowed to use this assistant.",
      failed: "The assistant could not answer: ", retry: "Retry", clear: "New conversation",
      preparing: "The assistant is preparing its documents… it will answer in a moment.",
      readAs: ["Read as “", "”"]
    },
    fr: {
      title: "Questions aux documents", open: "Ouvrir l’assistant", close: "Fermer l’assistant",
      greeting: "Bonjour ! Posez-moi une question sur les documents : je réponds avec leurs propres mots et je montre d’où vient chaque réponse.",
      tryThese: "Questions suggérées", label: "Votre question", placeholder: "Posez une question…", send: "Envoyer",
      conversation: "Conversation", you: "Vous :", bot: "Assistant :",
      loading: "Recherche dans les documents…", notFound: "Absent des documents",
      suggestions: "Passages qui peuvent aider", sources: "Sources", passage: "passage", passages: "passages",
      newTab: " (s’ouvre dans un nouvel onglet)",
      helpful: "Cette réponse vous a-t-elle aidé ?", yes: "Utile", no: "Pas utile", thanks: "Merci pour votre avis.",
      comment: "Que manquait-il ? (facultatif)", sendComment: "Envoyer", feedbackFailed: "Votre avis n’a pas pu être envoyé : ",
      unreachable: "Impossible de joindre l’assistant. Vérifiez votre connexion et réessayez.",
      refused: "Ce site n’est pas autorisé à utiliser cet assistant.",
      failed: "L’assistant n’a pas pu répondre : ", retry: "Réessayer", clear: "Nouvelle conversation",
      preparing: "L’assistant prépare ses documents… il répondra dans un instant.",
      readAs: ["Lu comme « ", " »"]
    }
  };
  var wanted = (opts.lang && opts.lang !== "auto" ? opts.lang : document.documentElement.lang || navigator.language || "en");
  var lang = /^fr/i.test(wanted) ? "fr" : "en";
  var t = TEXT[lang];
  var title = opts.title || t.title;
  var greeting = opts.greeting || t.greeting;
  // Each suggestion with its language (data-suggestions-lang), read in its own voice whatever the page's.
  var suggestedLangs = (opts.suggestionsLang || "").split("|");
  var suggested = (opts.suggestions || "").split("|").map(function (q, i) { return { text: q.trim(), lang: (suggestedLangs[i] || "").trim() }; })
    .filter(function (q) { return q.text; }).slice(0, 4);

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

  var X = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z";
  var CHAT = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z";
  var THUMB = "M2 21h4V9H2zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7z";

  var CSS = [
    ":host{all:initial!important;display:block!important}",
    ":host([data-docqa=widget]){position:fixed!important;top:0!important;left:0!important;width:0!important;height:0!important;z-index:2147483000!important}",
    ".dq{all:initial;display:block;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:15px;line-height:1.45;text-align:left;" +
      "--bg:#fff;--fg:#1f2937;--mut:#4b5563;--soft:#f9fafb;--line:#e5e7eb;--bd:#6b7280;--link:var(--lk);--ring:var(--acc);color:var(--fg)}",
    "@media (prefers-color-scheme:dark){.dq{--bg:#1f2937;--fg:#f3f4f6;--mut:#d1d5db;--soft:#111827;--line:#374151;--bd:#9ca3af;--link:#93c5fd;--ring:#93c5fd;color-scheme:dark}}",
    ".dq *,.dq *::before,.dq *::after{box-sizing:border-box}",
    "button,input,textarea{font:inherit;color:inherit}",
    "button{cursor:pointer}",
    ":focus-visible{outline:3px solid var(--ring);outline-offset:2px}",
    ".launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--acc);color:var(--on);box-shadow:0 6px 20px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}",
    ".launcher:hover{filter:brightness(1.1)}",
    "svg{width:28px;height:28px;fill:currentColor}",
    ".panel{position:fixed;bottom:88px;right:20px;width:380px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:var(--bg);border:1px solid var(--line);border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;animation:dq-in .18s ease-out}",
    ".left .launcher,.left .panel{right:auto;left:20px}",
    ".panel[hidden]{display:none}",
    "@keyframes dq-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}",
    ".page{position:relative}",
    ".page .panel{position:static;width:auto;max-width:820px;height:100vh;max-height:none;margin:0 auto;border-radius:0;border-width:0 1px;box-shadow:none;animation:none}",
    ".head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--acc);color:var(--on)}",
    "h1,h2{flex:1;margin:0;font-size:17px;font-weight:650;line-height:1.3}",
    ".head :focus-visible{outline-color:var(--on)}",
    ".head button{display:flex;align-items:center;justify-content:center;width:32px;height:32px;padding:0;background:transparent;border:0;border-radius:8px;color:inherit}",
    ".head button:hover{background:rgba(255,255,255,.18)}",
    ".head svg{width:20px;height:20px}",
    ".log{position:relative;flex:1;overflow-y:auto;list-style:none;margin:0;padding:14px;display:flex;flex-direction:column;gap:10px;background:var(--soft)}",
    ".log:focus-visible{outline-offset:-3px}",
    ".intro p{margin:0 0 8px}",
    ".sugg{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;align-items:flex-start;gap:6px}",
    ".sugg button{padding:6px 12px;border:1px solid var(--bd);border-radius:99px;background:var(--bg);color:var(--link);text-align:left}",
    ".sugg button:hover{border-color:var(--link)}",
    ".msg{max-width:92%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:var(--acc);color:var(--on);border-bottom-right-radius:4px}",
    ".bot{align-self:flex-start;background:var(--bg);border:1px solid var(--line);border-bottom-left-radius:4px}",
    ".declined{border-style:dashed;border-color:var(--bd)}",
    ".badge{display:inline-block;margin:0 0 4px;padding:1px 8px;border-radius:99px;background:#fef3c7;color:#78350f;font-size:12px;font-weight:600}",
    ".error{align-self:stretch;background:#fef2f2;border:1px solid #fca5a5;color:#991b1b}",
    ".error button{margin-left:8px;background:#991b1b;color:#fff;border:0;border-radius:6px;padding:3px 10px}",
    ".short{margin:0 0 4px;font-size:19px;font-weight:700;line-height:1.3}",
    ".readas{margin:0 0 4px;font-size:13px;font-style:italic;color:var(--mut)}",
    ".text{margin:0}",
    "strong{font-weight:700}",
    "mark{background:#fef08a;color:#111827}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".srchead{margin:8px 0 2px;font-size:12px;font-weight:600;color:var(--mut);text-transform:uppercase;letter-spacing:.04em}",
    ".sources{list-style:none;margin:0;padding:0;white-space:normal}",
    ".sources>li{border-top:1px solid var(--line);padding:4px 0;font-size:13.5px}",
    ".doc{font-weight:600}",
    "summary{cursor:pointer;color:var(--mut)}",
    "blockquote{margin:6px 0;padding:0 4px 0 10px;border-left:3px solid var(--bd);color:var(--fg);white-space:pre-wrap}",
    "a{color:var(--link)}",
    ".loading{color:var(--mut)}",
    ".dots span{display:inline-block;width:6px;height:6px;margin-left:3px;border-radius:50%;background:var(--mut);animation:dq-b 1s infinite ease-in-out}",
    ".dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}",
    "@keyframes dq-b{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".fb{display:flex;flex-wrap:wrap;align-items:center;gap:4px;margin-top:6px;font-size:13px;color:var(--mut);white-space:normal}",
    ".fb button{display:flex;padding:4px;border:1px solid transparent;border-radius:6px;background:none;color:var(--mut)}",
    ".fb button[aria-pressed=true]{border-color:var(--bd);color:var(--fg)}",
    ".fb svg{width:18px;height:18px}",
    ".fb form button{padding:6px 12px;border:0;background:var(--acc);color:var(--on)}",
    ".fb .down svg{transform:scaleY(-1)}",
    ".fb form{display:flex;gap:6px;flex-basis:100%}",
    "textarea{flex:1;min-width:0;min-height:2.4em;padding:6px 8px;border:1px solid var(--bd);border-radius:6px;background:var(--bg);resize:vertical}",
    ".ask{display:flex;gap:8px;padding:10px;border-top:1px solid var(--line);background:var(--bg)}",
    "input{flex:1;min-width:0;padding:9px 11px;border:1px solid var(--bd);border-radius:8px;background:var(--bg);font-size:16px}",
    "input::placeholder{color:var(--mut)}",
    "form button{border:0;border-radius:8px;padding:9px 16px;background:var(--acc);color:var(--on);font-weight:600}",
    "form button:disabled{opacity:.6;cursor:progress}",
    "@media " + NARROW + "{.widget .panel{right:0;left:0;bottom:0;width:100vw;max-width:none;height:100vh;height:100dvh;max-height:none;border-radius:0}.panel:not([hidden])~.launcher{display:none}}",
    "@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}"
  ].join("\n");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  // Text quoted from a document in another language than the chat's is marked so (screen readers switch voice).
  function quoted(node, language) {
    if (typeof language === "string" && /^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(language) && language.split("-")[0].toLowerCase() !== lang) node.lang = language;
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

  function iconButton(cls, label, d) {
    var b = el("button", cls);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.appendChild(icon(d));
    return b;
  }

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // JSON text of `value`, also on host pages that add Array.prototype.toJSON (Prototype.js), with which
  // JSON.stringify writes every array as a string: it is set aside for the call, then put back.
  function toJson(value) {
    var proto = Array.prototype, saved = proto.toJSON, own = Object.prototype.hasOwnProperty.call(proto, "toJSON");
    try { if (own) delete proto.toJSON; } catch (e) { own = false; }
    try { return JSON.stringify(value); } finally { if (own) proto.toJSON = saved; }
  }

  // The server counts offsets in code points (Python), JavaScript strings in UTF-16 units: an emoji or
  // other character beyond the BMP before a span would shift it, or cut a surrogate pair in two.
  function unitIndex(text, points) {
    var u = 0;
    for (var n = Math.max(0, points | 0); n > 0 && u < text.length; n--) {
      u += (text.charCodeAt(u) & 0xFC00) === 0xD800 && (text.charCodeAt(u + 1) & 0xFC00) === 0xDC00 ? 2 : 1;
    }
    return u;
  }
  function unitSpans(text, list) {
    text = String(text || "");
    return (Array.isArray(list) ? list : []).filter(Array.isArray).map(function (s) {
      return [unitIndex(text, s[0]), unitIndex(text, s[1])];
    });
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* storage disabled or corrupt: start afresh */ }
    return { open: false, messages: [] };
  }
  var state = load();
  if (typeof state.cid !== "string") state.cid = newId(); // per tab: sessionStorage
  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try { sessionStorage.setItem(STORE, toJson(state)); } catch (e) { /* quota or disabled */ }
  }

  // A text fragment (#:~:text=) that opens a web page at the quoted words.
  function fragmentUrl(url, quote) {
    var words = String(quote || "").replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
    if (!words.length) return url;
    function enc(s) { return encodeURIComponent(s).replace(/-/g, "%2D"); }
    var directive = words.length > 10 ? enc(words.slice(0, 5).join(" ")) + "," + enc(words.slice(-5).join(" ")) : enc(words.join(" "));
    return url.replace(/#:~:.*$/, "") + (url.indexOf("#") < 0 ? "#" : "") + ":~:text=" + directive;
  }

  // A passage shortened to about 480 characters around its answer span (no scrolling box).
  function excerpt(text, span) {
    text = String(text || "");
    var a = span ? span[0] | 0 : 0, b = span ? span[1] | 0 : 0;
    if (text.length <= 480) return { text: text, span: span };
    var from = Math.max(0, Math.min(a - 120, text.length - 480));
    if (from) from = text.indexOf(" ", from) + 1 || from;
    var to = Math.max(from + 480, b), cut = text.lastIndexOf(" ", to);
    if (to < text.length && cut > b) to = cut;
    if ((text.charCodeAt(from) & 0xFC00) === 0xDC00) from += 1;  // never half a character beyond the BMP
    if ((text.charCodeAt(to) & 0xFC00) === 0xDC00) to += 1;
    var pre = from ? "…" : "", out = pre + text.slice(from, to) + (to < text.length ? "…" : "");
    return { text: out, span: span ? [a - from + pre.length, b - from + pre.length] : null };
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
    box.style.setProperty("--lk", link);

    // No landmark elements (header, section...): they would collide with the host page's own.
    var panel = el("div", "panel");
    panel.id = "dq-panel";
    if (!pageMode) {
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-labelledby", "dq-title");
    }
    var header = el("div", "head");
    var h2 = el(pageMode ? "h1" : "h2", null, title);  // the chat page's main heading
    h2.id = "dq-title";
    var clearBtn = iconButton("clear", t.clear, "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z");
    header.appendChild(h2);
    header.appendChild(clearBtn);
    var closeBtn = iconButton("close", t.close, X);
    if (!pageMode) header.appendChild(closeBtn);

    var log = el("ol", "log");
    log.setAttribute("aria-label", t.conversation);
    log.tabIndex = 0; // a scrolling region: reachable with the keyboard
    var live = el("div", "sr");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");

    var form = el("form", "ask");
    var label = el("label", "sr", t.label);
    label.htmlFor = "dq-q";
    var input = el("input");
    input.id = "dq-q";
    input.type = "text";
    input.maxLength = opts.maxChars > 0 ? +opts.maxChars : 1000;  // the server's DOCQA_MAX_QUESTION_CHARS (the chat page says it)
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
    launcher.setAttribute("aria-controls", "dq-panel");
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

    // A text's web addresses as links, the rest as text ("Version française: https://…/fr/"); http(s) only.
    var WEB_ADDRESS = /https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/gi;
    function linked(parent, text) {
      var at = 0, found;
      WEB_ADDRESS.lastIndex = 0;
      while ((found = WEB_ADDRESS.exec(text))) {
        parent.appendChild(document.createTextNode(text.slice(at, found.index)));
        var link = el("a", "link", found[0]);
        link.href = found[0];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        parent.appendChild(link);
        at = found.index + found[0].length;
      }
      parent.appendChild(document.createTextNode(text.slice(at)));
    }

    function marked(parent, text, list, tag) {
      var at = 0;
      text = String(text || "");
      spans(list, text.length).forEach(function (s) {
        linked(parent, text.slice(at, s[0]));
        parent.appendChild(el(tag, null, text.slice(s[0], s[1])));
        at = s[1];
      });
      linked(parent, text.slice(at));
      return parent;
    }

    // One entry per document: its title (a link to the page, at the quoted words), its passages collapsed.
    function sourceItem(doc, tm) {
      var li = el("li");
      var first = doc.passages.filter(function (p) { return p.answer_span; })[0] || doc.passages[0], url = String(first.source || "");
      var name = first.title || url || first.doc_id || tm.sources;
      var head;
      if (/^https?:\/\//i.test(url)) {
        var span = first.answer_span, text = String(first.text || "");
        head = el("a", "doc", name);
        head.href = fragmentUrl(url, span ? text.slice(span[0], span[1]) : text.split(/[.!?]\s/)[0]);
        head.target = "_blank";
        head.rel = "noopener noreferrer";
        var tab = el("span", "sr", tm.newTab);
        tab.lang = tm === TEXT.fr ? "fr" : "en";  // the chat's words, inside a title that may be quoted in another language
        head.appendChild(tab);
      } else {
        head = el("span", "doc", name);
      }
      li.appendChild(quoted(head, first.language));
      var details = el("details");
      var n = doc.passages.length;
      details.appendChild(el("summary", null, n + " " + (n > 1 ? tm.passages : tm.passage)));
      doc.passages.forEach(function (p) {
        var cut = excerpt(p.text, p.answer_span);
        details.appendChild(quoted(marked(el("blockquote"), cut.text, cut.span ? [cut.span] : [], "mark"), p.language));
      });
      li.appendChild(details);
      return li;
    }

    function byDocument(sources) {
      var docs = [], seen = {};
      sources.forEach(function (s) {
        var key = String(s.doc_id || s.source || s.title);
        if (!seen[key]) docs.push(seen[key] = { passages: [] });
        if (seen[key].passages.length < 3) seen[key].passages.push(s);
      });
      return docs.slice(0, 3);
    }

    function feedback(m, tm) {  // tm: the message's language (a decline speaks the question's)
      var group = el("div", "fb");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", tm.helpful);
      group.appendChild(el("span", null, tm.helpful));
      var up = iconButton("up", tm.yes, THUMB), down = iconButton("down", tm.no, THUMB);
      var note = el("span", "note");
      note.setAttribute("role", "status");
      function pressed() {
        up.setAttribute("aria-pressed", String(m.feedback === "up"));
        down.setAttribute("aria-pressed", String(m.feedback === "down"));
      }
      function post(helpful, comment, done) {
        var body = { answer_id: m.answerId, helpful: helpful };
        if (comment) body.comment = comment;
        fetch(base + "/api/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit", body: toJson(body)
        }).then(function (r) {
          if (r.ok) { note.textContent = tm.thanks; if (done) done(); return; }
          return r.json().catch(function () { return {}; }).then(function (b) {
            var why = b.detail || b.error;
            note.textContent = tm.feedbackFailed + (typeof why === "string" ? why : "HTTP " + r.status);
          });
        }, function () { note.textContent = tm.feedbackFailed + tm.unreachable; });
      }
      function rate(helpful) {
        m.feedback = helpful ? "up" : "down";
        save();
        pressed();
        post(helpful);
        var old = group.querySelector("form");
        if (old) old.remove();
        if (helpful) return;
        var f = el("form");
        var area = el("textarea");
        area.maxLength = 1000;
        area.rows = 2;
        area.setAttribute("aria-label", tm.comment);
        area.placeholder = tm.comment;
        var send = el("button", null, tm.sendComment);
        send.type = "submit";
        f.appendChild(area);
        f.appendChild(send);
        f.addEventListener("submit", function (ev) {
          ev.preventDefault();
          if (area.value.trim()) post(false, area.value.trim().slice(0, 1000), function () { f.remove(); });
        });
        group.insertBefore(f, note);
        area.focus();
      }
      up.addEventListener("click", function () { rate(true); });
      down.addEventListener("click", function () { rate(false); });
      pressed();
      group.appendChild(up);
      group.appendChild(down);
      group.appendChild(note);
      return group;
    }

    function shortAnswer(m) {
      if (!m.answered) return "";
      var s = m.short;
      if (!s && m.highlights && m.highlights[0]) s = m.answer.slice(m.highlights[0][0], m.highlights[0][1]);
      s = String(s || "").trim();
      return s && s !== m.answer.trim() ? s : "";
    }

    function renderMessage(m) {
      var li;
      if (m.role === "user") {
        li = el("li", "msg user");
        li.appendChild(el("span", "sr", t.you + " "));
        li.appendChild(document.createTextNode(m.text));
      } else {
        var tm = m.answered ? t : TEXT[m.lang] || t;  // a decline speaks the question's language
        li = el("li", "msg bot" + (m.answered ? "" : " declined"));
        li.appendChild(el("span", "sr", t.bot + " "));
        if (m.readAs) {  // the question with its typos corrected, in its own language
          var readAs = el("p", "readas", tm.readAs[0]);
          var asked = el("span", null, m.readAs);
          asked.lang = m.lang;
          readAs.appendChild(asked);
          readAs.appendChild(document.createTextNode(tm.readAs[1]));
          li.appendChild(readAs);
        }
        if (!m.answered) li.appendChild(el("p", "badge", tm.notFound));
        var s = shortAnswer(m);
        var from = m.answered ? ((m.sources || []).filter(function (x) { return x && x.answer_span; })[0] || {}).language : null;
        if (s) li.appendChild(quoted(el("p", "short", s), from));
        li.appendChild(quoted(marked(el("p", "text"), m.answer, m.answered ? m.highlights : [], "strong"), from));
        var docs = byDocument(m.sources || []);
        if (docs.length) {
          li.appendChild(el("p", "srchead", m.answered ? tm.sources : tm.suggestions));
          var list = el("ul", "sources");
          docs.forEach(function (d) { list.appendChild(sourceItem(d, tm)); });
          li.appendChild(list);
        }
        if (m.answerId) li.appendChild(feedback(m, tm));
        if (tm !== t) Array.prototype.forEach.call(li.querySelectorAll(".readas,.badge,.text,.srchead,summary,.doc .sr,.fb"), function (e) { e.lang = m.lang; });
      }
      log.appendChild(li);
      return li;
    }

    function renderIntro() {
      var li = el("li", "intro");
      li.appendChild(el("p", null, greeting));
      if (suggested.length) {
        var list = el("ul", "sugg");
        list.setAttribute("aria-label", t.tryThese);
        suggested.forEach(function (q) {
          var b = el("button", null, q.text);
          b.type = "button";
          if (q.lang) b.lang = q.lang;
          b.addEventListener("click", function () { input.focus(); send(q.text); });
          var item = el("li");
          item.appendChild(b);
          list.appendChild(item);
        });
        li.appendChild(list);
      }
      log.appendChild(li);
    }

    function renderAll() {
      log.textContent = "";
      if (!state.messages.length) renderIntro();
      state.messages.forEach(renderMessage);
      scrollDown();
    }

    function announce(text) {
      live.textContent = "";
      setTimeout(function () { live.textContent = text; }, 50);
    }

    // ---- talking to the server ---------------------------------------------------------------
    var busy = false;
    var conversation = 0; // "New conversation" bumps it: answers to the earlier one's questions are dropped

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
      var mine = conversation;
      function gone() { return mine !== conversation; }
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

      function fail(message, final) {
        if (gone()) return;
        waiting.remove();
        var li = el("li", "msg error");
        var alert = el("span", null, message);  // role=alert on the <li> itself would take it out of the list
        alert.setAttribute("role", "alert");
        li.appendChild(alert);
        if (!final) {  // the same question would be refused again: no Retry
          var retry = el("button", "retry", t.retry);
          retry.type = "button";
          retry.addEventListener("click", function () {
            li.remove();
            input.focus();
            send(question, userLi);
          });
          li.appendChild(retry);
        }
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
        if (gone()) return;
        tries += 1;
        fetch(base + "/api/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "omit",
          body: toJson({ question: question, history: history(), conversation_id: state.cid })
        }).then(answered, unreachable);
      }

      function answered(r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (gone()) return;
          var retryAfter = parseInt(r.headers.get("Retry-After") || "", 10);
          if (r.status === 503 && retryAfter >= 0 && tries < PREPARING_TRIES) return preparing(retryAfter);
          if (r.status === 403) return fail(t.refused);
          if (!r.ok) return fail(t.failed + (body.error || "HTTP " + r.status), r.status < 500 && r.status !== 408 && r.status !== 429);
          var answer = String(body.answer || "");
          var sources = (Array.isArray(body.sources) ? body.sources : []).map(function (s) {
            var span = s && s.answer_span ? unitSpans(s.text, [s.answer_span])[0] || null : null;
            return Object.assign({}, s, { answer_span: span });
          });
          var m = {
            role: "assistant", answer: answer, answered: !!body.answered,
            highlights: unitSpans(answer, body.highlights), sources: sources,
            short: body.short_answer || "", lang: body.language === "fr" ? "fr" : "en",
            readAs: typeof body.read_as === "string" ? body.read_as : "",
            answerId: typeof body.answer_id === "string" ? body.answer_id : null
          };
          waiting.remove();
          renderMessage(m);
          scrollDown();
          state.messages.push({ role: "user", text: question }, m);
          save();
          var s = shortAnswer(m);
          announce((m.answered ? "" : TEXT[m.lang].notFound + ". ") + (s ? s + ". " : "") + m.answer);
          setBusy(false);
        });
      }

      function unreachable() {
        return refusedOrigin().then(function (refused) { fail(refused ? t.refused : t.unreachable); });
      }

      ask();
    }

    // ---- behaviour -----------------------------------------------------------------------------
    var narrow = window.matchMedia(NARROW);

    function setLauncher(open) {
      launcher.setAttribute("aria-expanded", String(open));
      launcher.setAttribute("aria-label", open ? t.close : t.open + " — " + title);
      launcher.textContent = "";
      launcher.appendChild(icon(open ? X : CHAT));
    }

    function setOpen(open, focus) {
      if (pageMode) return;
      panel.hidden = !open;
      panel.setAttribute("aria-modal", String(open && narrow.matches));
      setLauncher(open);
      state.open = open;
      save();
      if (!focus) return;
      if (open) { scrollDown(); input.focus(); } else { launcher.focus(); }
    }

    function focusables() {
      return Array.prototype.filter.call(
        panel.querySelectorAll("button,input,textarea,a[href],summary,[tabindex='0']"),
        function (e) { return !e.disabled && e.getClientRects().length; }
      );
    }

    launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
    closeBtn.addEventListener("click", function () { setOpen(false, true); });
    clearBtn.addEventListener("click", function () {
      conversation += 1;
      setBusy(false);
      state.messages = [];
      state.cid = newId();
      save();
      renderAll();
      input.focus();
    });
    box.addEventListener("keydown", function (ev) {
      if (pageMode || panel.hidden) return;
      if (ev.key === "Escape") {
        ev.stopPropagation();
        setOpen(false, true);
      } else if (ev.key === "Tab" && narrow.matches) {
        // A modal dialog on narrow screens: Tab and Shift+Tab go round inside the panel.
        var all = focusables(), first = all[0], last = all[all.length - 1];
        var at = root.activeElement;
        if (ev.shiftKey ? at === first || !panel.contains(at) : at === last || !panel.contains(at)) {
          ev.preventDefault();
          (ev.shiftKey ? last : first).focus();
        }
      }
    });
    narrow.addEventListener("change", function () { if (!pageMode) panel.setAttribute("aria-modal", String(!panel.hidden && narrow.matches)); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value.trim();
      if (!VISIBLE.test(q) || busy) return;
      input.value = "";
      send(q);
    });

    renderAll();
    if (pageMode) input.focus();
    else setOpen(!!state.open, false);
  }
})();
