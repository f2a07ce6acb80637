/* Staff preview of a questionnaire: the phone's form, with nothing saved. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("survey");
    new SIPAS.Form(element, {
      answers: {},
      onSubmit: function () {
        var message = element.querySelector(".sv-message");
        message.hidden = false;
        message.textContent = "Đây là bản xem trước: phiếu không được lưu.";
        return Promise.resolve();
      },
    });
  });
})();
