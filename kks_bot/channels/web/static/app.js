// The Mini App's only script (served by the bot, no third-party code).
// 1. Telegram's theme colours, from the launch parameters, kept for the session's pages.
// 2. On the launch page: post the signed launch data (tgWebAppData) to /session.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.hash.slice(1));
  var theme = params.get("tgWebAppThemeParams");
  try {
    if (theme) { sessionStorage.setItem("kks-theme", theme); }
    else { theme = sessionStorage.getItem("kks-theme"); }
    if (theme) {
      var colours = JSON.parse(theme);
      var names = {bg_color: "--bg", text_color: "--text", hint_color: "--hint",
                   link_color: "--link", button_color: "--button",
                   button_text_color: "--button-text",
                   secondary_bg_color: "--secondary-bg"};
      Object.keys(names).forEach(function (key) {
        if (/^#[0-9a-fA-F]{3,8}$/.test(colours[key] || "")) {
          document.documentElement.style.setProperty(names[key], colours[key]);
        }
      });
    }
  } catch (e) { /* no theme: our own colours */ }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("launch");
    var data = params.get("tgWebAppData");
    if (form && data) {
      form.elements.init_data.value = data;
      document.getElementById("outside").hidden = true;
      history.replaceState(null, "", window.location.pathname + window.location.search);
      form.submit();
    }
  });
})();
