// Embeddable assistant widget: <div data-amorce-assistant></div> + <script src=".../static/assistant/widget.js" defer>.
// It talks to the public JSON API (/api/assistant/ask: no cookie sent, no CSRF token) and builds its DOM with
// textContent only (no HTML from the server is injected). On another site, that site's origin must be listed in
// AMORCE_ASSISTANT_CORS_ORIGINS on the server (CORS limited to /api/assistant/). Keyboard: Tab, Enter on the
// button or Ctrl+Enter in the field; the status line (role="status") announces progress and errors, and the
// focus moves to each new answer inside the log (role="log").
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src, window.location.href).origin : window.location.origin;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function mount(root, index) {
    var api = (root.getAttribute("data-amorce-assistant") || base).replace(/\/$/, "");
    var id = "amorce-assistant-" + index;
    root.textContent = "";  // the no-JavaScript fallback link
    var box = el("section", {"class": "fr-p-2w amorce-assistant-widget", "aria-labelledby": id + "-titre"});
    box.appendChild(el("h2", {"class": "fr-h5", "id": id + "-titre"}, "Poser une question à l'assistant"));
    var notice = el("p", {"class": "fr-text--xs", "id": id + "-avertissement"}, "Vous échangez avec un assistant automatisé.");
    box.appendChild(notice);
    var log = el("div", {"role": "log", "aria-live": "polite", "aria-label": "Réponses de l'assistant"});
    var form = el("form", {"action": api + "/assistant/", "method": "get"});
    var label = el("label", {"class": "fr-label", "for": id + "-question"}, "Votre question");
    var field = el("textarea", {"class": "fr-input", "id": id + "-question", "name": "question", "rows": "2",
                                "maxlength": "1000", "required": "", "aria-describedby": id + "-avertissement"});
    var button = el("button", {"type": "submit", "class": "fr-btn fr-btn--sm fr-mt-1w"}, "Envoyer");
    var status = el("p", {"class": "fr-text--xs", "role": "status"});
    form.appendChild(label); form.appendChild(field); form.appendChild(button); form.appendChild(status);
    box.appendChild(form);
    box.appendChild(log);
    var more = el("a", {"class": "fr-link fr-text--sm", "href": api + "/assistant/"}, "Page complète de l'assistant (parler à un agent)");
    box.appendChild(more);
    root.appendChild(box);

    fetch(api + "/api/assistant/info", {credentials: "omit"}).then(function (r) { return r.json(); }).then(function (info) {
      notice.textContent = info.notice;
      if (!info.ready) { status.textContent = "L'assistant n'a pas encore de contenu indexé."; button.disabled = true; }
    }).catch(function () { /* keep the short notice */ });

    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : button.click(); }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = field.value.trim();
      if (!question) { field.focus(); return; }
      button.disabled = true;
      log.setAttribute("aria-busy", "true");
      status.textContent = "Recherche dans les fiches en cours…";
      fetch(api + "/api/assistant/ask", {method: "POST", credentials: "omit", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({question: question})})
        .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
        .then(function (res) {
          var item = el("article", {"tabindex": "-1", "class": "fr-mb-2w"});
          item.appendChild(el("h3", {"class": "fr-text--md fr-mb-1v"}, "Vous : " + question));
          if (!res.ok) {
            var detail = typeof res.body.detail === "string" ? res.body.detail : "La question n'a pas pu être traitée.";
            item.appendChild(el("p", {"class": "fr-error-text"}, detail));
            status.textContent = detail;
          } else {
            var steps = null;
            res.body.answer.split(/\n+/).forEach(function (line) {
              var text = line.trim();
              if (!text) { return; }
              if (/^[-•] /.test(text)) {  // the answer's steps stay a list
                if (!steps) { steps = el("ul", {"class": "fr-text--sm"}); item.appendChild(steps); }
                steps.appendChild(el("li", {}, text.slice(2)));
              } else {
                steps = null;
                item.appendChild(el("p", {"class": "fr-text--sm fr-mb-1v"}, text));
              }
            });
            if (res.body.sources.length) {
              var list = el("ul", {"class": "fr-text--sm"});
              res.body.sources.forEach(function (s) {
                var li = el("li");
                var a = el("a", {"href": s.url, "rel": "noopener", "target": "_blank",
                                 "title": s.title + " - nouvelle fenêtre"}, s.title + " (" + s.id + ")");
                li.appendChild(a); list.appendChild(li);
              });
              item.appendChild(el("p", {"class": "fr-text--sm fr-mb-0"}, "Sources :"));
              item.appendChild(list);
            }
          }
          log.appendChild(item);
          field.value = "";
          item.focus();
        })
        .catch(function () { status.textContent = "L'assistant est injoignable. Réessayez plus tard."; })
        .then(function () {
          button.disabled = false;
          log.removeAttribute("aria-busy");
          if (status.textContent.indexOf("en cours") > 0) { status.textContent = ""; }
        });
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-amorce-assistant]");
    for (var i = 0; i < roots.length; i++) { mount(roots[i], i); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
