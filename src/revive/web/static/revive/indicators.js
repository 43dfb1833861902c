// Copy buttons of the press summary: <button class="copy" data-copy="element-id" data-done="Copied">.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    var label = button.textContent;
    button.textContent = button.dataset.done || label;
    setTimeout(function () { button.textContent = label; }, 2000);
  });
});
