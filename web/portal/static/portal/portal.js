// The chosen file's name beside our Vietnamese “Chọn tệp…” button.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".picker input[type=file]")) return;
  var shown = input.parentNode.querySelector(".chosen");
  if (shown) shown.textContent = input.files.length ? input.files[0].name : "Chưa chọn tệp";
});
