// The chat page: questions go to /api/ask; everything shown is inserted as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("ask");
  var input = document.getElementById("question");
  var log = document.getElementById("log");
  var history = [];

  function item(cls) {
    var li = document.createElement("li");
    li.className = cls;
    log.appendChild(li);
    return li;
  }

  function highlighted(text, spans) {
    var p = document.createElement("p");
    p.className = "answer";
    var at = 0;
    (spans || []).forEach(function (s) {
      p.appendChild(document.createTextNode(text.slice(at, s[0])));
      var b = document.createElement("strong");
      b.textContent = text.slice(s[0], s[1]);
      p.appendChild(b);
      at = s[1];
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }

  function sources(list) {
    var box = document.createElement("div");
    list.slice(0, 3).forEach(function (s) {
      var d = document.createElement("details");
      var sum = document.createElement("summary");
      sum.textContent = "Source: " + s.title;
      d.appendChild(sum);
      var p = document.createElement("p");
      p.textContent = s.text;
      d.appendChild(p);
      if (/^https?:\/\//.test(s.source)) {
        var a = document.createElement("a");
        a.href = s.source;
        a.textContent = s.source;
        a.rel = "noopener noreferrer";
        d.appendChild(a);
      }
      box.appendChild(d);
    });
    return box;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = input.value.trim();
    if (!q) return;
    item("user").textContent = q;
    input.value = "";
    var li = item("assistant");
    li.textContent = "…";
    fetch("/api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: q, history: history.slice(-10) })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      li.textContent = "";
      if (!res.ok) { li.className = "error"; li.textContent = res.body.error || "Something went wrong."; return; }
      var a = res.body;
      if (!a.answered) li.className = "assistant declined";
      li.appendChild(highlighted(a.answer, a.highlights));
      li.appendChild(sources(a.sources));
      history.push({ role: "user", content: q }, { role: "assistant", content: a.answer });
    }).catch(function () {
      li.className = "error";
      li.textContent = "The server could not be reached. Please try again.";
    });
  });
})();
