// Intake without retyping: a complete, valid PESEL fills the birth date and sex fields.
// The server derives and checks them again (ostoja.registry.validation.pesel_fill).
(function () {
  "use strict";
  var WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

  function decode(pesel) {
    if (!/^\d{11}$/.test(pesel)) return null;
    var d = pesel.split("").map(Number);
    var sum = 0;
    for (var i = 0; i < 10; i++) sum += d[i] * WEIGHTS[i];
    if ((10 - (sum % 10)) % 10 !== d[10]) return null;
    var month = d[2] * 10 + d[3];
    var century = [1900, 2000, 2100, 2200, 1800][Math.floor(month / 20)];
    month = month % 20;
    var year = century + d[0] * 10 + d[1];
    var day = d[4] * 10 + d[5];
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return { birth: year + "-" + pad(month) + "-" + pad(day), sex: d[9] % 2 ? "M" : "K" };
  }

  function attach(input) {
    var form = input.form;
    var birth = form.querySelector("[name=birth_date]");
    var sex = form.querySelector("[name=sex]");
    input.addEventListener("input", function () {
      var found = decode(input.value.replace(/\s/g, ""));
      if (!found) return;
      if (birth && !birth.value) birth.value = found.birth;
      if (sex && !sex.value) sex.value = found.sex;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.person-form [name=pesel]").forEach(attach);
  });
})();
