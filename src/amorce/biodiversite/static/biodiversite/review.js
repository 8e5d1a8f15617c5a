/* Review pages of camera-trap events: keyboard shortcuts and small helps. No inline script (CSP).
   Event review: N next, P previous, V « vide » (submits the form as empty), E focuses the species
   field (its <datalist> suggests the park's species by French name); typing a species ticks
   « Animal »; A accepts the model's species proposal. Empty-events list: a « Tout cocher » button. Without JavaScript every action stays
   available as a link, a button or a form. */
(function () {
  "use strict";

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  var form = document.getElementById("relecture");
  if (form) {
    var taxon = document.getElementById("id_taxon");
    var animal = form.querySelector("input[name=observation_type][value=animal]");
    if (taxon && animal) {
      taxon.addEventListener("input", function () {
        if (taxon.value.trim()) { animal.checked = true; }
      });
    }
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && typing(e.target)) { e.target.blur(); return; }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) { return; }
      var key = (e.key || "").toLowerCase();
      var link = { n: "suivant", p: "precedent" }[key];
      if (link && document.getElementById(link)) {
        window.location = document.getElementById(link).href;
      } else if (key === "v" && document.getElementById("bouton-vide")) {
        e.preventDefault();
        document.getElementById("bouton-vide").click();
      } else if (key === "a" && document.getElementById("accepter-proposition")) {
        e.preventDefault();
        document.getElementById("accepter-proposition").click();
      } else if (key === "e" && taxon) {
        e.preventDefault();
        taxon.focus();
        taxon.select();  // a prefilled proposal is replaced by what the reviewer types
      }
    });
  }

  var bulk = document.getElementById("vides-en-masse");
  var all = document.getElementById("tout-cocher");
  if (bulk && all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      var boxes = bulk.querySelectorAll("input[name=evenement]");
      var checked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      Array.prototype.forEach.call(boxes, function (b) { b.checked = !checked; });
      all.textContent = checked ? "Tout cocher sur cette page" : "Tout décocher sur cette page";
    });
  }
}());
