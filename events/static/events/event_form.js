// The event form: a part that belongs to one type of event (data-kind-only, e.g. the Meet-the-Boss
// settings) is shown only while that type is chosen. Without JavaScript every part stays visible
// and its legend says which type it is for. A part with an error is never hidden.
(function () {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const parts = document.querySelectorAll("[data-kind-only]");
  function update() {
    parts.forEach(function (part) {
      part.hidden = part.dataset.kindOnly !== kind.value && !part.querySelector(".field-error");
    });
  }
  kind.addEventListener("change", update);
  update();
})();
